// Faults: parts of the platform stop, crash or change keys while it works. Nothing approved may
// be lost or applied twice, and nothing unverified may pass.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { test } from '../lib/cases.mjs';
import { mobileLogin, transactionToken } from '../../scripts/lib/oauth-client.mjs';
import {
  ALICE_ACCOUNT,
  api,
  app,
  BOB_ACCOUNT,
  eventually,
  GATEWAY,
  ISSUER,
  platform,
  query,
} from '../lib/platform.mjs';

const aliceToken = () => mobileLogin('alice', 'accounts:read payments:read payments:write');
const balance = async (id) =>
  BigInt((await query('accounts', 'SELECT balance_minor FROM accounts WHERE id = $1', [id]))[0].balance_minor);

/** Creates and approves `count` payments of 1.00; returns their ids. */
async function approvePayments(token, count) {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const created = await api(token, 'POST', '/api/payments', {
      json: { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount: '1.00', currency: 'EUR' },
      headers: { 'idempotency-key': randomUUID() },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const approved = await api(
      await transactionToken('alice', created.body.id),
      'POST',
      `/api/payments/${created.body.id}/approve`,
    );
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    ids.push(created.body.id);
  }
  return ids;
}

async function assertSettledOnce(token, ids, before) {
  const statuses = await eventually(
    () => Promise.all(ids.map(async (id) => (await api(token, 'GET', `/api/payments/${id}`)).body.status)),
    (all) => all.every((s) => s === 'settled'),
    90_000,
  );
  assert.deepEqual(
    statuses,
    ids.map(() => 'settled'),
  );
  const debits = await query(
    'accounts',
    "SELECT count(*)::int AS n FROM processed_events WHERE result::jsonb ->> 'paymentId' = ANY($1)",
    [ids],
  );
  assert.equal(debits[0].n, ids.length, 'each payment applied exactly once');
  assert.equal(await balance(ALICE_ACCOUNT), before - 100n * BigInt(ids.length));
}

test(
  'fault: Kafka stopped while payments are approved, then restarted: every approved payment settles exactly once',
  async () => {
    const token = await aliceToken();
    const before = await balance(ALICE_ACCOUNT);
    await platform.current.kafka.stop();
    let ids;
    try {
      ids = await approvePayments(token, 3);
      await new Promise((r) => setTimeout(r, 2000));
      for (const id of ids) assert.equal((await api(token, 'GET', `/api/payments/${id}`)).body.status, 'approved');
    } finally {
      await platform.current.kafka.restart();
    }
    await assertSettledOnce(token, ids, before);
  },
  { timeoutMs: 180_000 },
);

test(
  'fault: the accounts service killed mid-stream and restarted: no double debit',
  async () => {
    const token = await aliceToken();
    const before = await balance(ALICE_ACCOUNT);
    const accounts = app('accounts');
    const ids = await approvePayments(token, 4);
    await accounts.crash();
    accounts.start();
    await accounts.waitHealthy();
    await assertSettledOnce(token, ids, before);
  },
  { timeoutMs: 180_000 },
);

test(
  'fault: authorization server down: known sessions go on, new tokens get a clear 503, nothing unverified passes',
  async () => {
    const known = await aliceToken();
    assert.equal((await api(known, 'GET', '/api/accounts')).status, 200);
    const unseen = await aliceToken();
    const as = app('authorization-server');
    await as.stop();
    try {
      await new Promise((r) => setTimeout(r, 2000)); // longer than any accidental short cache, far below its cap
      assert.equal((await api(known, 'GET', '/api/accounts')).status, 200, 'a cached session keeps working');
      const fresh = await api(unseen, 'GET', '/api/accounts');
      assert.equal(fresh.status, 503);
      assert.ok(fresh.headers.get('retry-after'));
      assert.equal((await api('made-up-opaque-token-0123456789', 'GET', '/api/accounts')).status, 503);
      const login = await fetch(`${GATEWAY}/auth/login`, {
        method: 'POST',
        headers: { origin: GATEWAY, 'x-zt-csrf': '1' },
      });
      assert.ok([502, 503].includes(login.status), `login start while the AS is down -> ${login.status}`);
    } finally {
      as.start();
      await as.waitHealthy();
    }
    assert.equal((await api(unseen, 'GET', '/api/accounts')).status, 200, 'back to normal');
  },
  { timeoutMs: 120_000 },
);

test(
  'fault: a signing-key rotation during traffic fails no request',
  async () => {
    let running = true;
    const statuses = [];
    const traffic = (async () => {
      while (running) {
        const token = await aliceToken(); // a fresh token each round: signed by whichever key is active
        for (const path of ['/api/accounts', '/api/payments']) statuses.push((await api(token, 'GET', path)).status);
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    const rotated = await fetch(`${ISSUER}/dev/signing-keys/rotate`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('dev-tokens:dev-secret-dev-tokens-change-me').toString('base64')}`,
      },
    });
    assert.equal(rotated.status, 200, await rotated.text());
    await new Promise((r) => setTimeout(r, 8000)); // long enough for the server to sign with the new key
    running = false;
    await traffic;
    assert.ok(statuses.length > 10, `only ${statuses.length} requests`);
    assert.deepEqual([...new Set(statuses)], [200]);
  },
  { timeoutMs: 120_000 },
);

test(
  'fault: PostgreSQL restarted: the services recover without a restart of their own',
  async () => {
    const token = await aliceToken();
    assert.equal((await api(token, 'GET', '/api/accounts')).status, 200);
    const version = readdirSync('/etc/postgresql')[0];
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'ignore' });
    const after = await eventually(
      () => api(token, 'GET', '/api/accounts'),
      (r) => r.status === 200,
      60_000,
      500,
    );
    assert.equal(after.status, 200);
    const before = await balance(ALICE_ACCOUNT);
    await assertSettledOnce(token, await approvePayments(token, 1), before);
  },
  { timeoutMs: 120_000 },
);
