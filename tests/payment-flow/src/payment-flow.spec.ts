import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  eventually,
  exchangeAs,
  Platform,
  reusableServiceToken,
  startPlatform,
  transactionJwt,
  userJwt,
} from './flow-harness';
import { first, headerText, Recorded, TopicRecorder } from './topic-recorder';

const ALICE_ACCOUNT = 'a11ce000-0000-4000-8000-000000000001';
const BOB_ACCOUNT = 'b0b00000-0000-4000-8000-000000000001';
jest.setTimeout(90_000);
const claimsOf = (token: string) => {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT: no payload segment');
  return JSON.parse(Buffer.from(payload, 'base64url').toString());
};
const bearerOf = (recorded: Recorded) => headerText(recorded.message, 'authorization')!.replace(/^Bearer /, '');

const TOPICS = [
  'payments.approved',
  'payments.approved.dlq',
  'payments.settled',
  'payments.rejected',
  'payments.settled.dlq',
  'payments.rejected.dlq',
];

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

  const payments = (
    method: 'GET' | 'POST',
    url: string,
    token: string,
    payload?: object,
    extra: Record<string, string> = {},
  ) => platform.payments.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...extra }, payload });
  const balance = async (token: string, id: string) =>
    (
      await platform.accounts.inject({
        method: 'GET',
        url: `/accounts/${id}`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json().balanceMinor as string;
  const status = async (id: string) => (await payments('GET', `/payments/${id}`, alice)).json().status as string;
  const pay = async (amount: string) => {
    const res = await payments(
      'POST',
      '/payments',
      alice,
      { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount, currency: 'EUR' },
      { 'idempotency-key': `flow-${Date.now()}-${amount}` },
    );
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const approve = async (id: string) =>
    payments('POST', `/payments/${id}/approve`, await transactionJwt(platform.as.issuer, 'alice', id));
  const balances = async (): Promise<[alice: string, bob: string]> => [
    await balance(alice, ALICE_ACCOUNT),
    await balance(bob, BOB_ACCOUNT),
  ];
  /** A payment approved and settled, both balances after it, and its `payments.approved` event as recorded. */
  const settledPayment = async (amount: string) => {
    const id = await pay(amount);
    expect((await approve(id)).statusCode).toBe(200);
    await eventually(
      () => status(id),
      (s) => s === 'settled',
    );
    return {
      id,
      balancesAfter: await balances(),
      approval: first(recorder.on('payments.approved', id), 'payments.approved'),
    };
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
    const [aliceBefore, bobBefore] = (await balances()).map(BigInt) as [bigint, bigint];
    const id = await pay('25.00');
    const approved = await approve(id);
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('approved');

    expect(
      await eventually(
        () => status(id),
        (s) => s === 'settled',
      ),
    ).toBe('settled');
    expect((await balances()).map(BigInt)).toEqual([aliceBefore - 2500n, bobBefore + 2500n]);

    const [outbox] = await platform.payments
      .get(DataSource)
      .query('SELECT published_at, event_token FROM outbox_events WHERE message_key = $1', [id]);
    expect(outbox.published_at).not.toBeNull();
    expect(outbox.event_token).toBeNull(); // no bearer token left at rest once published

    // What the operators see (infra/monitoring/alerts.yml): the settlement timed, the outbox drained.
    const scrape = await platform.payments.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(scrape.statusCode).toBe(200);
    expect(Number(/^payments_settlement_seconds_count (\d+)$/m.exec(scrape.body)?.[1])).toBeGreaterThanOrEqual(1);
    expect(scrape.body).toMatch(/^payments_outbox_backlog 0$/m);
    expect(scrape.body).toMatch(/^payments_outbox_oldest_age_seconds 0$/m);
    expect(scrape.body).not.toContain(id); // no payment id in any label
  });

  it('carries an event token narrowed to accounts and bound to the event, never the user token', async () => {
    const id = await pay('1.00');
    expect((await approve(id)).statusCode).toBe(200);
    const event = first(
      await eventually(
        async () => recorder.on('payments.approved', id),
        (e) => e.length > 0,
      ),
      'payments.approved',
    );
    const token = headerText(event.message, 'authorization')!.replace(/^Bearer /, '');
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      sub: 'usr_alice',
      aud: ['accounts-api'],
      scope: 'payments:approve',
      transaction_id: id,
      event_id: headerText(event.message, 'event-id'),
    });
    expect(claims.event_digest).toMatch(/^[\w-]{43}$/);
    // RFC 8693 delegation: the payments service acts for alice (accounts accepts no other actor).
    expect(claims.act).toEqual({ sub: 'payments-service' });
    // An event token outlives the 5-minute transaction token: the event may wait in the outbox or broker.
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('a redelivered event moves money once (accounts re-announces the same result)', async () => {
    const { id, balancesAfter, approval: original } = await settledPayment('2.00');
    await recorder.publish('payments.approved', {
      key: original.message.key,
      value: original.message.value,
      headers: original.message.headers as Record<string, Buffer>,
    });

    const results = await eventually(
      async () => recorder.on('payments.settled', id),
      (r) => r.length >= 2,
    );
    expect(results).toHaveLength(2);
    // Both exist: the length is asserted just above.
    expect(results[1]!.message.value?.toString()).toBe(results[0]!.message.value?.toString());
    expect(await balances()).toEqual(balancesAfter);
  });

  it.each([
    [
      'another payment',
      (p: Record<string, unknown>, other: string) => ({ ...p, paymentId: other }),
      'ERR_EVENT_BINDING_MISMATCH',
    ],
    ['another user', (p: Record<string, unknown>) => ({ ...p, userId: 'usr_bob' }), 'ERR_EVENT_BINDING_MISMATCH'],
    ['a changed amount', (p: Record<string, unknown>) => ({ ...p, amountMinor: '1' }), 'ERR_EVENT_BINDING_MISMATCH'],
  ])(
    'refuses an event whose token belongs to %s: dead-lettered with the reason, no money moved',
    async (_case, tamper, reason) => {
      const other = await pay('4.00');
      const { balancesAfter, approval: original } = await settledPayment('3.00');
      const payload = tamper(JSON.parse(original.message.value!.toString()), other);
      await recorder.publish('payments.approved', {
        key: Buffer.from(other),
        value: Buffer.from(JSON.stringify(payload)),
        headers: original.message.headers as Record<string, Buffer>,
      });

      const tampered = JSON.stringify(payload);
      const dead = first(
        await eventually(
          async () => recorder.on('payments.approved.dlq').filter((r) => r.message.value?.toString() === tampered),
          (d) => d.length > 0,
        ),
        'payments.approved.dlq',
      );
      expect(dead).toBeDefined();
      expect(headerText(dead.message, 'dlq-reason')).toBe(reason);
      expect(headerText(dead.message, 'authorization')).toBeUndefined();
      expect(await balances()).toEqual(balancesAfter);
      expect(await status(other)).toBe('pending');
    },
  );

  it('refuses an approval whose token another service re-minted (exchanged again by accounts-service): dead-lettered, no money moved', async () => {
    const { id, balancesAfter, approval: original } = await settledPayment('5.00');
    const eventToken = headerText(original.message, 'authorization')!.replace(/^Bearer /, '');
    // Same user, payment, event id and digest, signed by the real AS: only the actor differs.
    const reminted = await exchangeAs(platform.as.issuer, 'accounts-service', eventToken);
    expect(claimsOf(reminted).act).toEqual({ sub: 'accounts-service', act: { sub: 'payments-service' } });
    await recorder.publish('payments.approved', {
      key: original.message.key,
      value: original.message.value,
      headers: {
        ...(original.message.headers as Record<string, Buffer>),
        authorization: Buffer.from(`Bearer ${reminted}`),
      },
    });

    const dead = first(
      await eventually(
        async () => recorder.on('payments.approved.dlq', id),
        (d) => d.length > 0,
      ),
      'payments.approved.dlq',
    );
    expect(headerText(dead.message, 'dlq-reason')).toBe('ERR_EVENT_ACTOR_NOT_ALLOWED');
    expect(await balances()).toEqual(balancesAfter);
  });

  it('dead-letters an event without a token', async () => {
    const value = Buffer.from(JSON.stringify({ paymentId: 'x', userId: 'usr_alice', marker: 'no-token' }));
    await recorder.publish('payments.approved', {
      key: Buffer.from('no-token'),
      value,
      headers: { 'event-id': 'no-token' },
    });
    const dead = first(
      await eventually(
        async () => recorder.on('payments.approved.dlq', 'no-token'),
        (d) => d.length > 0,
      ),
      'payments.approved.dlq',
    );
    expect(headerText(dead.message, 'dlq-reason')).toBe('ERR_TOKEN_MISSING');
  });

  it('carries, on each settlement result, its own token: exchanged by accounts from the approval, bound to the result', async () => {
    const { id, approval } = await settledPayment('1.50');
    const result = first(recorder.on('payments.settled', id), 'payments.settled');
    const claims = claimsOf(bearerOf(result));
    const approvalClaims = claimsOf(bearerOf(approval));
    expect(claims).toMatchObject({
      sub: 'usr_alice',
      aud: ['payments-api'],
      scope: 'payments:settle',
      client_id: 'accounts-service',
      transaction_id: id,
      event_id: headerText(result.message, 'event-id'),
      act: { sub: 'accounts-service', act: { sub: 'payments-service' } },
    });
    expect(JSON.parse(result.message.value!.toString()).eventId).toBe(claims.event_id);
    expect(claims.event_digest).toBe(createHash('sha256').update(result.message.value!).digest('base64url'));
    expect(claims.event_id).not.toBe(approvalClaims.event_id);
    expect(claims.exp - claims.iat).toBe(3600);
  });

  /**
   * What a writer to the result topics could try against a payment waiting for its result. Each
   * payment here was approved and settled for real, then put back to `approved` in the payments
   * database, as if its result had not arrived yet: a forged result that got through would move it.
   */
  describe('settlement results: only accounts, only bound to the result and its payment', () => {
    const paymentsDb = () => platform.payments.get(DataSource);
    const row = async (id: string) =>
      (await paymentsDb().query('SELECT status, updated_at FROM payments WHERE id = $1', [id]))[0];
    const awaitingResult = async (amount: string) => {
      const { id, approval } = await settledPayment(amount);
      const result = first(recorder.on('payments.settled', id), 'payments.settled');
      await paymentsDb().query("UPDATE payments SET status = 'approved' WHERE id = $1", [id]);
      return { id, approval, result, before: await row(id) };
    };
    const headersOf = (recorded: Recorded) => recorded.message.headers as Record<string, Buffer>;
    /** A result for payment `id` that accounts never sent: the approved payment flipped to rejected. */
    const flipped = (result: Recorded) => {
      const original = JSON.parse(result.message.value!.toString());
      return { ...original, eventId: randomUUID(), outcome: 'rejected', reason: 'insufficient funds' };
    };
    const publishResult = (
      topic: string,
      key: string,
      payload: object | Buffer,
      headers: Record<string, Buffer | string>,
    ) =>
      recorder.publish(topic, {
        key: Buffer.from(key),
        value: Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload)),
        headers,
      });
    const deadLettered = async (topic: string, id: string) => {
      const dead = first(
        await eventually(
          async () => recorder.on(`${topic}.dlq`, id),
          (d) => d.length > 0,
        ),
        `${topic}.dlq`,
      );
      expect(dead).toBeDefined();
      expect(headerText(dead.message, 'authorization')).toBeUndefined();
      return headerText(dead.message, 'dlq-reason');
    };

    it('dead-letters a result carrying a reusable client-credentials token (what accounts used to send), and changes nothing', async () => {
      const { id, result, before } = await awaitingResult('6.00');
      const forged = flipped(result);
      const token = await reusableServiceToken(platform.as, 'accounts-service', 'payments:settle', 'payments-api');
      await publishResult('payments.rejected', id, forged, {
        authorization: `Bearer ${token}`,
        'event-id': forged.eventId,
      });

      expect(await deadLettered('payments.rejected', id)).toBe('ERR_EVENT_ACTOR_NOT_ALLOWED');
      expect(await row(id)).toEqual(before);
    });

    it.each([
      [
        'another event id (same bytes under a new event-id)',
        'payments.settled',
        (result: Recorded) => ({ value: result.message.value!, eventId: randomUUID() }),
      ],
      [
        'other bytes (the outcome flipped under the same event id)',
        'payments.rejected',
        (result: Recorded) => {
          const forged = { ...flipped(result), eventId: headerText(result.message, 'event-id') };
          return { value: Buffer.from(JSON.stringify(forged)), eventId: forged.eventId as string };
        },
      ],
    ])('dead-letters a result under a token exchanged for %s, and changes nothing', async (_case, topic, forge) => {
      const { id, result, before } = await awaitingResult('7.00');
      const { value, eventId } = forge(result);
      await publishResult(topic, id, value, { ...headersOf(result), 'event-id': eventId });

      expect(await deadLettered(topic, id)).toBe('ERR_EVENT_BINDING_MISMATCH');
      expect(await row(id)).toEqual(before);
    });

    it('dead-letters a result under a token exchanged (by accounts, from a real approval) for another payment, and changes nothing', async () => {
      const { approval: otherApproval } = await settledPayment('8.00');
      const { id, result, before } = await awaitingResult('9.00');
      const forged = flipped(result);
      const bytes = JSON.stringify(forged);
      const token = await exchangeAs(platform.as.issuer, 'accounts-service', bearerOf(otherApproval), {
        scope: 'payments:settle',
        audience: 'payments-api',
        eventId: forged.eventId,
        eventBytes: bytes,
      });
      expect(claimsOf(token).transaction_id).not.toBe(id);
      await publishResult('payments.rejected', id, Buffer.from(bytes), {
        authorization: `Bearer ${token}`,
        'event-id': forged.eventId,
      });

      expect(await deadLettered('payments.rejected', id)).toBe('ERR_EVENT_BINDING_MISMATCH');
      expect(await row(id)).toEqual(before);
    });

    it('dead-letters a result under a token that names the payment but speaks for another user, and changes nothing', async () => {
      const { id, result, before } = await awaitingResult('10.00');
      // Bob approves alice's payment id at the authorization server (which cannot know who owns it),
      // and the chain payments -> accounts is replayed with the services' own credentials.
      const approvedBytes = JSON.stringify({ paymentId: id, userId: 'usr_bob' });
      const bobsApproval = await exchangeAs(
        platform.as.issuer,
        'payments-service',
        await transactionJwt(platform.as.issuer, 'bob', id),
        {
          scope: 'payments:approve',
          audience: 'accounts-api',
          eventId: randomUUID(),
          eventBytes: approvedBytes,
        },
      );
      const forged = flipped(result);
      const bytes = JSON.stringify(forged);
      const token = await exchangeAs(platform.as.issuer, 'accounts-service', bobsApproval, {
        scope: 'payments:settle',
        audience: 'payments-api',
        eventId: forged.eventId,
        eventBytes: bytes,
      });
      expect(claimsOf(token)).toMatchObject({ sub: 'usr_bob', transaction_id: id });
      await publishResult('payments.rejected', id, Buffer.from(bytes), {
        authorization: `Bearer ${token}`,
        'event-id': forged.eventId,
      });

      expect(await deadLettered('payments.rejected', id)).toBe('ERR_EVENT_BINDING_MISMATCH');
      expect(await row(id)).toEqual(before);
    });

    it('dead-letters a result whose token another service re-minted (exchanged again by payments-service), and changes nothing', async () => {
      const { id, result, before } = await awaitingResult('11.00');
      // Same user, payment, event id and digest, signed by the real AS: only the actor differs.
      const reminted = await exchangeAs(platform.as.issuer, 'payments-service', bearerOf(result));
      expect(claimsOf(reminted).act).toEqual({
        sub: 'payments-service',
        act: { sub: 'accounts-service', act: { sub: 'payments-service' } },
      });
      await publishResult('payments.settled', id, result.message.value!, {
        ...headersOf(result),
        authorization: `Bearer ${reminted}`,
      });

      expect(await deadLettered('payments.settled', id)).toBe('ERR_EVENT_ACTOR_NOT_ALLOWED');
      expect(await row(id)).toEqual(before);
    });

    it('processes the same valid result once: a replay is accepted and changes nothing', async () => {
      const { id } = await settledPayment('12.00');
      const result = first(recorder.on('payments.settled', id), 'payments.settled');
      const before = await row(id);
      await publishResult('payments.settled', id, result.message.value!, headersOf(result));
      // One partition: once a marker published after the replay is dead-lettered, the replay was handled.
      const marker = `marker-${randomUUID()}`;
      await publishResult('payments.settled', marker, { marker }, { 'event-id': marker });
      expect(await deadLettered('payments.settled', marker)).toBe('ERR_TOKEN_MISSING');

      expect(recorder.on('payments.settled.dlq', id)).toEqual([]);
      expect(await row(id)).toEqual(before);
    });
  });

  it('rejects a payment the balance cannot cover, and moves nothing', async () => {
    const before = await balances();
    const id = await pay('999999.00');
    expect((await approve(id)).statusCode).toBe(200);
    expect(
      await eventually(
        () => status(id),
        (s) => s === 'rejected',
      ),
    ).toBe('rejected');
    expect(await balances()).toEqual(before);
  });
});
