import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSecuredAppForTest, testDatabaseUrl, testKafkaBrokers, testKafkaTlsEnv } from '@zt/platform/testing';
import type { TestIssuer } from '@zt/security/testing';
import { DEVELOPMENT_ACCOUNTS } from './development-accounts';

const [alice, bob] = DEVELOPMENT_ACCOUNTS;

/** The accounts API through real HTTP handling, real PostgreSQL and real token verification. */
describe('accounts API', () => {
  let issuer: TestIssuer;
  let close: () => Promise<void>;
  let app: NestFastifyApplication;
  const as = (sub: string, scope = 'accounts:read') => ({ authorization: `Bearer ${issuer.token({ sub, scope })}` });

  beforeAll(async () => {
    ({ app, issuer, close } = await startSecuredAppForTest({
      name: 'accounts',
      audience: 'accounts-api',
      loadModule: async () => (await import('../app/app.module')).AppModule,
      env: {
        DATABASE_URL: testDatabaseUrl('zt_test_accounts'),
        KAFKA_BROKERS: testKafkaBrokers(),
        ...testKafkaTlsEnv(),
      },
    }));
  });
  afterAll(() => close?.());

  it("lists only the caller's accounts, money as decimal strings", async () => {
    const res = await app.inject({ method: 'GET', url: '/accounts', headers: as('usr_alice') });
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((a: { id: string }) => a.id);
    expect(ids).toContain(alice.id);
    expect(ids).not.toContain(bob.id);
    const mine = res.json().find((a: { id: string }) => a.id === alice.id);
    expect(typeof mine.balance).toBe('string');
    expect(mine.balance).toMatch(/^\d+\.\d{2}$/);
  });

  it("answers another user's account exactly like a missing one (404)", async () => {
    const theirs = await app.inject({ method: 'GET', url: `/accounts/${bob.id}`, headers: as('usr_alice') });
    const missing = await app.inject({
      method: 'GET',
      url: '/accounts/00000000-0000-4000-8000-000000000000',
      headers: as('usr_alice'),
    });
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(theirs.body).toBe(missing.body);
    const own = await app.inject({ method: 'GET', url: `/accounts/${bob.id}`, headers: as('usr_bob') });
    expect(own.statusCode).toBe(200);
  });

  it('validates the id and requires accounts:read', async () => {
    expect((await app.inject({ method: 'GET', url: '/accounts/1 OR 1=1', headers: as('usr_alice') })).statusCode).toBe(
      400,
    );
    expect(
      (await app.inject({ method: 'GET', url: '/accounts', headers: as('usr_alice', 'accounts:rea') })).statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/accounts' })).statusCode).toBe(401);
  });

  // Issue 18, item 3: ill-formed UTF-8 or UTF-16, a NUL byte or an over-long id is a 400 problem, never a 5xx.
  it.each(['%ED%A0%80', '%F0%9F', '%00', 'a11ce000-0000-4000-8000-000000000001%00', '%C0%AF', 'a'.repeat(200)])(
    'refuses the id %s with a 400 problem',
    async (id) => {
      const res = await app.inject({ method: 'GET', url: `/accounts/${id}`, headers: as('usr_alice') });
      expect([id, res.statusCode]).toEqual([id, 400]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain(id);
    },
  );

  it('refuses an id longer than the router allows with a 414 problem that does not echo it', async () => {
    const id = 'a'.repeat(201);
    const res = await app.inject({ method: 'GET', url: `/accounts/${id}`, headers: as('usr_alice') });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toContain(id);
  });

  it('offers no endpoint that moves money', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await app.inject({
        method,
        url: `/accounts/${alice.id}`,
        headers: as('usr_alice', 'accounts:read accounts:write'),
        payload: { balance: '1000000.00' },
      });
      expect([method, res.statusCode]).toEqual([method, 404]);
    }
  });
});
