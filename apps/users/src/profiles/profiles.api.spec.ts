import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSecuredAppForTest, testDatabaseUrl } from '@zt/platform/testing';
import type { TestIssuer } from '@zt/security/testing';

/** The users API through real HTTP handling, real PostgreSQL and real token verification. */
describe('users API', () => {
  let issuer: TestIssuer;
  let close: () => Promise<void>;
  let app: NestFastifyApplication;
  const bearer = (sub: string, scope: string) => ({ authorization: `Bearer ${issuer.token({ sub, scope, region: 'eu' })}` });

  beforeAll(async () => {
    ({ app, issuer, close } = await startSecuredAppForTest({
      name: 'users',
      audience: 'users-api',
      loadModule: async () => (await import('../app/app.module')).AppModule,
      env: { DATABASE_URL: testDatabaseUrl('zt_test_users') },
    }));
  });
  afterAll(() => close?.());

  it('refuses a request without a token (401, RFC 6750)', async () => {
    const res = await app.inject({ method: 'GET', url: '/users/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it("shows the caller's own profile", async () => {
    const res = await app.inject({ method: 'GET', url: '/users/me', headers: bearer('usr_alice', 'users:read') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sub: 'usr_alice', region: 'eu', email: 'alice@example.test' });
  });

  it('needs users:read to read it', async () => {
    const res = await app.inject({ method: 'GET', url: '/users/me', headers: bearer('usr_alice', 'accounts:read') });
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('insufficient_scope');
  });

  it('lets the owner change whitelisted fields only', async () => {
    const ok = await app.inject({
      method: 'PATCH', url: '/users/me', headers: bearer('usr_bob', 'users:write'), payload: { displayName: 'Robert' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ sub: 'usr_bob', displayName: 'Robert', region: 'us' });

    for (const payload of [{ region: 'eu' }, { sub: 'usr_alice' }, { displayName: 'x', updatedAt: '2020-01-01' }]) {
      const res = await app.inject({ method: 'PATCH', url: '/users/me', headers: bearer('usr_bob', 'users:write'), payload });
      expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), 400]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.join(' ')).toMatch(/should not exist/);
    }
    const after = await app.inject({ method: 'GET', url: '/users/me', headers: bearer('usr_bob', 'users:read') });
    expect(after.json()).toMatchObject({ sub: 'usr_bob', region: 'us', displayName: 'Robert' });
  });

  it("refuses another user's profile to a normal user (403) and shows it to an admin", async () => {
    const user = await app.inject({ method: 'GET', url: '/users/usr_bob', headers: bearer('usr_alice', 'users:read') });
    expect(user.statusCode).toBe(403);
    const admin = await app.inject({ method: 'GET', url: '/users/usr_bob', headers: bearer('usr_admin', 'users:admin') });
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toMatchObject({ sub: 'usr_bob' });
  });

  it('refuses a token minted for another API (wrong audience)', async () => {
    const token = issuer.token({ sub: 'usr_alice', scope: 'users:read', aud: 'payments-api' });
    const res = await app.inject({ method: 'GET', url: '/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
  });

  it('documents the bearer scheme and scopes in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(doc.paths['/users/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/users/me'].patch.description).toContain('users:write');
  });
});
