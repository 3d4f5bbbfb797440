import { DataSource } from 'typeorm';
import { eventually, exchangeAs, Platform, startPlatform, transactionJwt, userJwt } from './flow-harness';
import { headerText, TopicRecorder } from './topic-recorder';

const ALICE_ACCOUNT = 'a11ce000-0000-4000-8000-000000000001';
const BOB_ACCOUNT = 'b0b00000-0000-4000-8000-000000000001';
jest.setTimeout(90_000);

const TOPICS = ['payments.approved', 'payments.approved.dlq', 'payments.settled', 'payments.rejected'];

/**
 * The payment story across real services: the authorization server (tokens, token exchange),
 * payments and accounts (PostgreSQL each) and Kafka. Identity travels from the payment API
 * through an event token in Kafka headers to accounts, which checks it again before moving money.
 */
describe('payment flow (authorization server + payments + accounts + Kafka)', () => {
  let platform: Platform;
  let recorder: TopicRecorder;
  let alice: string;
  let bob: string;

  const payments = (method: 'GET' | 'POST', url: string, token: string, payload?: object, extra: Record<string, string> = {}) =>
    platform.payments.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...extra }, payload });
  const balance = async (token: string, id: string) =>
    (await platform.accounts.inject({ method: 'GET', url: `/accounts/${id}`, headers: { authorization: `Bearer ${token}` } })).json().balanceMinor as string;
  const status = async (id: string) => (await payments('GET', `/payments/${id}`, alice)).json().status as string;
  const pay = async (amount: string) => {
    const res = await payments('POST', '/payments', alice, { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount, currency: 'EUR' }, { 'idempotency-key': `flow-${Date.now()}-${amount}` });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const approve = async (id: string) => payments('POST', `/payments/${id}/approve`, await transactionJwt(platform.as.issuer, 'alice', id));
  const balances = async () => [await balance(alice, ALICE_ACCOUNT), await balance(bob, BOB_ACCOUNT)];
  /** A payment approved and settled, both balances after it, and its `payments.approved` event as recorded. */
  const settledPayment = async (amount: string) => {
    const id = await pay(amount);
    expect((await approve(id)).statusCode).toBe(200);
    await eventually(() => status(id), (s) => s === 'settled');
    return { id, balancesAfter: await balances(), approval: recorder.on('payments.approved', id)[0] };
  };

  beforeAll(async () => {
    recorder = await TopicRecorder.start(TOPICS);
    platform = await startPlatform('zt_test_flow');
    alice = await userJwt(platform.as.issuer, 'alice', 'accounts:read payments:read payments:write');
    bob = await userJwt(platform.as.issuer, 'bob', 'accounts:read');
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await recorder?.stop();
  });

  it('alice pays bob: approval with a transaction token, settlement through Kafka, money moves once', async () => {
    const before = (await balances()).map(BigInt);
    const id = await pay('25.00');
    const approved = await approve(id);
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('approved');

    expect(await eventually(() => status(id), (s) => s === 'settled')).toBe('settled');
    expect((await balances()).map(BigInt)).toEqual([before[0] - 2500n, before[1] + 2500n]);

    const [outbox] = await platform.payments.get(DataSource).query('SELECT published_at, event_token FROM outbox_events WHERE message_key = $1', [id]);
    expect(outbox.published_at).not.toBeNull();
    expect(outbox.event_token).toBeNull(); // no bearer token left at rest once published
  });

  it('carries an event token narrowed to accounts and bound to the event, never the user token', async () => {
    const id = await pay('1.00');
    expect((await approve(id)).statusCode).toBe(200);
    const [event] = await eventually(async () => recorder.on('payments.approved', id), (e) => e.length > 0);
    const token = headerText(event.message, 'authorization')!.replace(/^Bearer /, '');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'usr_alice', aud: ['accounts-api'], scope: 'payments:approve', transaction_id: id, event_id: headerText(event.message, 'event-id') });
    expect(claims.event_digest).toMatch(/^[\w-]{43}$/);
    // RFC 8693 delegation: the payments service acts for alice (accounts accepts no other actor).
    expect(claims.act).toEqual({ sub: 'payments-service' });
    // An event token outlives the 5-minute transaction token: the event may wait in the outbox or broker.
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('a redelivered event moves money once (accounts re-announces the same result)', async () => {
    const { id, balancesAfter, approval: original } = await settledPayment('2.00');
    await recorder.publish('payments.approved', { key: original.message.key, value: original.message.value, headers: original.message.headers as Record<string, Buffer> });

    const results = await eventually(async () => recorder.on('payments.settled', id), (r) => r.length >= 2);
    expect(results).toHaveLength(2);
    expect(results[1].message.value?.toString()).toBe(results[0].message.value?.toString());
    expect(await balances()).toEqual(balancesAfter);
  });

  it.each([
    ['another payment', (p: Record<string, unknown>, other: string) => ({ ...p, paymentId: other }), 'ERR_EVENT_BINDING_MISMATCH'],
    ['another user', (p: Record<string, unknown>) => ({ ...p, userId: 'usr_bob' }), 'ERR_EVENT_BINDING_MISMATCH'],
    ['a changed amount', (p: Record<string, unknown>) => ({ ...p, amountMinor: '1' }), 'ERR_EVENT_BINDING_MISMATCH'],
  ])('refuses an event whose token belongs to %s: dead-lettered with the reason, no money moved', async (_case, tamper, reason) => {
    const other = await pay('4.00');
    const { balancesAfter, approval: original } = await settledPayment('3.00');
    const payload = tamper(JSON.parse(original.message.value!.toString()), other);
    await recorder.publish('payments.approved', { key: Buffer.from(other), value: Buffer.from(JSON.stringify(payload)), headers: original.message.headers as Record<string, Buffer> });

    const tampered = JSON.stringify(payload);
    const [dead] = await eventually(async () => recorder.on('payments.approved.dlq').filter((r) => r.message.value?.toString() === tampered), (d) => d.length > 0);
    expect(dead).toBeDefined();
    expect(headerText(dead.message, 'dlq-reason')).toBe(reason);
    expect(headerText(dead.message, 'authorization')).toBeUndefined();
    expect(await balances()).toEqual(balancesAfter);
    expect(await status(other)).toBe('pending');
  });

  it('refuses an approval whose token another service re-minted (exchanged again by accounts-service): dead-lettered, no money moved', async () => {
    const { id, balancesAfter, approval: original } = await settledPayment('5.00');
    const eventToken = headerText(original.message, 'authorization')!.replace(/^Bearer /, '');
    // Same user, payment, event id and digest, signed by the real AS: only the actor differs.
    const reminted = await exchangeAs(platform.as.issuer, 'accounts-service', eventToken);
    expect(JSON.parse(Buffer.from(reminted.split('.')[1], 'base64url').toString()).act).toEqual({ sub: 'accounts-service', act: { sub: 'payments-service' } });
    await recorder.publish('payments.approved', {
      key: original.message.key, value: original.message.value,
      headers: { ...(original.message.headers as Record<string, Buffer>), authorization: Buffer.from(`Bearer ${reminted}`) },
    });

    const [dead] = await eventually(async () => recorder.on('payments.approved.dlq', id), (d) => d.length > 0);
    expect(headerText(dead.message, 'dlq-reason')).toBe('ERR_EVENT_ACTOR_NOT_ALLOWED');
    expect(await balances()).toEqual(balancesAfter);
  });

  it('dead-letters an event without a token', async () => {
    const value = Buffer.from(JSON.stringify({ paymentId: 'x', userId: 'usr_alice', marker: 'no-token' }));
    await recorder.publish('payments.approved', { key: Buffer.from('no-token'), value, headers: { 'event-id': 'no-token' } });
    const [dead] = await eventually(async () => recorder.on('payments.approved.dlq', 'no-token'), (d) => d.length > 0);
    expect(headerText(dead.message, 'dlq-reason')).toBe('ERR_TOKEN_MISSING');
  });

  it('rejects a payment the balance cannot cover, and moves nothing', async () => {
    const before = await balances();
    const id = await pay('999999.00');
    expect((await approve(id)).statusCode).toBe(200);
    expect(await eventually(() => status(id), (s) => s === 'rejected')).toBe('rejected');
    expect(await balances()).toEqual(before);
  });
});
