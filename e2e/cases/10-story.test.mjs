// The story a newcomer should see working: sign in, look, pay, approve with a token for that one
// payment, and watch the money move, through the gateway only. Both client kinds.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from '../lib/cases.mjs';
import { browserLogin, mobileLogin, transactionToken } from '../../scripts/lib/oauth-client.mjs';
import { ALICE_ACCOUNT, api, BOB_ACCOUNT, eventually, GATEWAY } from '../lib/platform.mjs';

const balanceOf = async (token, id) => (await api(token, 'GET', `/api/accounts/${id}`)).body.balanceMinor;

test('story: alice signs in, pays bob, approves with a transaction token; the payment settles and both balances change', async () => {
  const alice = await mobileLogin('alice', 'accounts:read payments:read payments:write');
  const bob = await mobileLogin('bob', 'accounts:read');
  const mine = await api(alice, 'GET', '/api/accounts');
  assert.equal(mine.status, 200);
  assert.deepEqual(
    mine.body.map((a) => a.id),
    [ALICE_ACCOUNT],
  );
  const before = [BigInt(await balanceOf(alice, ALICE_ACCOUNT)), BigInt(await balanceOf(bob, BOB_ACCOUNT))];

  const created = await api(alice, 'POST', '/api/payments', {
    json: { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount: '12.34', currency: 'EUR' },
    headers: { 'idempotency-key': randomUUID() },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.status, 'pending');

  let consent = '';
  const approval = await transactionToken('alice', created.body.id, (page) => (consent = page));
  assert.match(consent, new RegExp(created.body.id), 'the consent page names the payment');
  const approved = await api(approval, 'POST', `/api/payments/${created.body.id}/approve`);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));

  const settled = await eventually(
    () => api(alice, 'GET', `/api/payments/${created.body.id}`),
    (r) => r.body.status === 'settled',
  );
  assert.equal(settled.body.status, 'settled');
  assert.deepEqual(
    [BigInt(await balanceOf(alice, ALICE_ACCOUNT)), BigInt(await balanceOf(bob, BOB_ACCOUNT))],
    [before[0] - 1234n, before[1] + 1234n],
  );
});

test('story: the browser path: the token handler keeps tokens in encrypted cookies; the SPA never sees one', async () => {
  const { browser, csrf } = await browserLogin('alice');
  for (const [name, value] of browser.cookies)
    assert.doesNotMatch(value, /^[\w-]+\.[\w-]+\.[\w-]+$/, `cookie ${name} must not hold a readable JWT`);
  const session = await (await browser.request(`${GATEWAY}/auth/session`)).json();
  assert.equal(session.authenticated, true);
  assert.equal(session.sub, 'usr_alice');

  const accounts = await browser.request(`${GATEWAY}/api/accounts`);
  assert.equal(accounts.status, 200);
  const created = await browser.request(`${GATEWAY}/api/payments`, {
    method: 'POST',
    headers: { ...csrf, 'idempotency-key': randomUUID() },
    json: { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount: '1.00', currency: 'EUR' },
  });
  assert.equal(created.status, 201, await created.clone().text());
  const payment = await created.json();
  const approval = await transactionToken('alice', payment.id);
  assert.equal((await api(approval, 'POST', `/api/payments/${payment.id}/approve`)).status, 200);
  const final = await eventually(
    async () => (await browser.request(`${GATEWAY}/api/payments/${payment.id}`)).json(),
    (p) => p.status === 'settled',
  );
  assert.equal(final.status, 'settled');

  assert.equal((await browser.request(`${GATEWAY}/auth/logout`, { method: 'POST', headers: csrf })).status, 204);
  assert.equal((await browser.request(`${GATEWAY}/api/accounts`)).status, 401);
});
