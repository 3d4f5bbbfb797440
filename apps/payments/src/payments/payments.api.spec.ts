import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startAppForTest, testDatabaseUrl, testKafkaBrokers, testKafkaTlsEnv } from '@zt/platform/testing';
import { TestIssuer } from '@zt/security/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

const ALICE_ACCOUNT = 'a11ce000-0000-4000-8000-000000000001';
const BOB_ACCOUNT = 'b0b00000-0000-4000-8000-000000000001';

/**
 * The payments API with a real accounts API beside it (the caller's token is forwarded to it),
 * real PostgreSQL and real token verification.
 */
describe('payments API', () => {
  let issuer: TestIssuer;
  let accounts: NestFastifyApplication;
  let app: NestFastifyApplication;
  const aud = ['payments-api', 'accounts-api'];
  const headers = (sub: string, scope: string, extra: Record<string, unknown> = {}) => ({
    authorization: `Bearer ${issuer.token({ sub, scope, aud, ...extra })}`,
  });
  const writer = (sub = 'usr_alice') => headers(sub, 'payments:write payments:read accounts:read');
  const body = (amount = '25.00') => ({
    sourceAccountId: ALICE_ACCOUNT,
    destinationAccountId: BOB_ACCOUNT,
    amount,
    currency: 'EUR',
  });
  const create = (payload: object, key = randomUUID(), sub = 'usr_alice') =>
    app.inject({ method: 'POST', url: '/payments', headers: { ...writer(sub), 'idempotency-key': key }, payload });

  beforeAll(async () => {
    issuer = await TestIssuer.start({ audience: 'payments-api' });
    const kafka = testKafkaBrokers();
    accounts = await startAppForTest({
      name: 'accounts',
      // The real accounts API, not a mock: the ownership check depends on its answers. A test
      // may compose two apps; production code never imports another app.
      // eslint-disable-next-line @nx/enforce-module-boundaries
      loadModule: async () => (await import('../../../accounts/src/app/app.module')).AppModule,
      env: {
        ...issuer.env({ OAUTH_AUDIENCE: 'accounts-api' }),
        DATABASE_URL: testDatabaseUrl('zt_test_payments_accounts'),
        KAFKA_BROKERS: kafka,
        ...testKafkaTlsEnv(),
      },
    });
    await accounts.listen(0, '127.0.0.1');
    const accountsUrl = await accounts.getUrl();
    app = await startAppForTest({
      name: 'payments',
      loadModule: async () => (await import('../app/app.module')).AppModule,
      env: {
        ...issuer.env(),
        DATABASE_URL: testDatabaseUrl('zt_test_payments'),
        KAFKA_BROKERS: kafka,
        ...testKafkaTlsEnv(),
        ACCOUNTS_API_URL: accountsUrl,
        INTERNAL_SERVICE_URLS: accountsUrl,
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await accounts?.close();
    await issuer?.stop();
  });

  it('creates a pending payment from an account the caller owns', async () => {
    const res = await create(body('25.5'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'pending',
      amount: '25.50',
      currency: 'EUR',
      sourceAccountId: ALICE_ACCOUNT,
    });
  });

  it('creates one payment for a double submit with the same Idempotency-Key, and 409s a different body', async () => {
    const key = randomUUID();
    const [first, second] = await Promise.all([create(body('10.00'), key), create(body('10.00'), key)]);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(first.json().id).toBe(second.json().id);
    expect([first.headers['idempotent-replayed'], second.headers['idempotent-replayed']]).toContain('true');
    const rows = await app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM payments WHERE idempotency_key = $1', [key]);
    expect(rows[0].n).toBe(1);

    const conflict = await create(body('11.00'), key);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
  });

  it('answers a 502 problem, not an internal error, when accounts refuses the forwarded token (not meant for accounts-api)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/payments',
      headers: {
        ...headers('usr_alice', 'payments:write accounts:read', { aud: ['payments-api'] }),
        'idempotency-key': randomUUID(),
      },
      payload: body(),
    });
    expect(res.statusCode).toBe(502);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ title: 'Bad Gateway', detail: 'Upstream service call failed' });
  });

  it('requires an Idempotency-Key', async () => {
    const res = await app.inject({ method: 'POST', url: '/payments', headers: writer(), payload: body() });
    expect(res.statusCode).toBe(400);
  });

  it("refuses to pay from someone else's account (checked by accounts with the forwarded token)", async () => {
    const res = await create({ ...body(), sourceAccountId: BOB_ACCOUNT, destinationAccountId: ALICE_ACCOUNT });
    expect(res.statusCode).toBe(422);
  });

  it.each([
    [{ ...body(), status: 'approved' }],
    [{ ...body(), ownerSub: 'usr_bob' }],
    [{ ...body(), amount: 25 }],
    [{ ...body(), amount: '25.001' }],
    [{ ...body(), amount: '-5' }],
    [{ ...body(), amount: '0.00' }],
    [{ ...body(), amount: '1e3' }],
    [{ ...body(), currency: 'BTC' }],
    [{ ...body(), sourceAccountId: 'not-a-uuid' }],
  ])('refuses a bad or over-posted body %j', async (payload) => {
    expect((await create(payload)).statusCode).toBe(400);
  });

  // Issue 18, defect 1: only the table's CHECK refused this, and the answer was a 5xx.
  it.each([
    ['the same id', ALICE_ACCOUNT],
    ['the same id in capitals (PostgreSQL compares uuids case-insensitively)', ALICE_ACCOUNT.toUpperCase()],
  ])(
    'refuses a payment to its own source account (%s) with a 422 problem, storing nothing',
    async (_, destinationAccountId) => {
      const key = randomUUID();
      const res = await create({ ...body(), destinationAccountId }, key);
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        status: 422,
        detail: 'destinationAccountId must differ from sourceAccountId',
      });
      const rows = await app
        .get(DataSource)
        .query('SELECT count(*)::int AS n FROM payments WHERE idempotency_key = $1', [key]);
      expect(rows[0].n).toBe(0);
    },
  );

  // Issue 18, item 3: null, wrong types and ill-formed Unicode in any field are a 400 problem.
  it.each(
    (['sourceAccountId', 'destinationAccountId', 'amount', 'currency'] as const).flatMap((field) =>
      [null, 25, true, [], {}, ['EUR'], '\ud800', `${body()[field]}\udc00`].map((value) => [field, value] as const),
    ),
  )('refuses %s = %j with a 400 problem', async (field, value) => {
    const res = await create({ ...body(), [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([expect.stringContaining(field)]);
  });

  it.each([[null], [[]], ['a string'], [42]])(
    'refuses a body that is not an object (%j) with a 400',
    async (payload) => {
      const res = await app.inject({
        method: 'POST',
        url: '/payments',
        headers: { ...writer(), 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    },
  );

  it("shows a user only their own payments; another user's is 404", async () => {
    const id = (await create(body())).json().id;
    expect(
      (await app.inject({ method: 'GET', url: `/payments/${id}`, headers: headers('usr_alice', 'payments:read') }))
        .statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: `/payments/${id}`, headers: headers('usr_bob', 'payments:read') }))
        .statusCode,
    ).toBe(404);
    const bobs = await app.inject({ method: 'GET', url: '/payments', headers: headers('usr_bob', 'payments:read') });
    expect(bobs.json().map((p: { id: string }) => p.id)).not.toContain(id);
  });

  describe('approval', () => {
    let id: string;
    const approve = (h: Record<string, string>, paymentId = id) =>
      app.inject({ method: 'POST', url: `/payments/${paymentId}/approve`, headers: h });
    const transactionToken = (transactionId: string, sub = 'usr_alice') =>
      headers(sub, 'payments:approve', { transaction_id: transactionId });
    const outboxRows = () => app.get(DataSource).query('SELECT id FROM outbox_events WHERE message_key = $1', [id]);

    beforeAll(async () => {
      id = (await create(body('30.00'))).json().id;
    });

    it('is refused with a plain access token (403)', async () => {
      const res = await approve(writer());
      expect(res.statusCode).toBe(403);
    });

    it('is refused with a transaction token for another payment (403)', async () => {
      const other = (await create(body('1.00'))).json().id;
      expect((await approve(transactionToken(other))).statusCode).toBe(403);
    });

    it('is refused with a transaction token issued to someone who does not own the payment (404)', async () => {
      expect((await approve(transactionToken(id, 'usr_bob'))).statusCode).toBe(404);
    });

    it('fails closed when no event token can be had (no token exchange here): 503, still pending, no event', async () => {
      const res = await approve(transactionToken(id));
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await outboxRows()).toHaveLength(0);
      const after = await app.inject({
        method: 'GET',
        url: `/payments/${id}`,
        headers: headers('usr_alice', 'payments:read'),
      });
      expect(after.json().status).toBe('pending');
    });
    // The successful approval, its event and settlement run against the real authorization
    // server and Kafka in payment-flow.spec.ts.
  });
});
