import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { expectProblem, startSecuredAppForTest, testDatabaseUrl } from '@zt/platform/testing';
import type { TestIssuer } from '@zt/security/testing';
import { DataSource } from 'typeorm';

/** The users API through real HTTP handling, real PostgreSQL and real token verification. */
describe('users API', () => {
  let issuer: TestIssuer;
  let close: () => Promise<void>;
  let app: NestFastifyApplication;
  const bearer = (sub: string, scope: string) => ({
    authorization: `Bearer ${issuer.token({ sub, scope, region: 'eu' })}`,
  });

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
      method: 'PATCH',
      url: '/users/me',
      headers: bearer('usr_bob', 'users:write'),
      payload: { displayName: 'Robert' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ sub: 'usr_bob', displayName: 'Robert', region: 'us' });

    for (const payload of [{ region: 'eu' }, { sub: 'usr_alice' }, { displayName: 'x', updatedAt: '2020-01-01' }]) {
      const res = await app.inject({
        method: 'PATCH',
        url: '/users/me',
        headers: bearer('usr_bob', 'users:write'),
        payload,
      });
      expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), 400]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.join(' ')).toMatch(/should not exist/);
    }
    const after = await app.inject({ method: 'GET', url: '/users/me', headers: bearer('usr_bob', 'users:read') });
    expect(after.json()).toMatchObject({ sub: 'usr_bob', region: 'us', displayName: 'Robert' });
  });

  // Issue 18, defects 3 and 4: each of these reached the database (or threw in isEmail) and answered 5xx.
  it.each([
    [{ email: null }, /^email must be a string/],
    [{ displayName: null }, /^displayName must be a string/],
    [{ email: '\ud800' }, /^email must be a string of well-formed Unicode$/],
    [{ email: 'al\udc00ice@example.test' }, /^email must be a string of well-formed Unicode$/],
    [{ displayName: 'Al\ud83dice' }, /^displayName must be a string of well-formed Unicode$/],
    [{ email: 5 }, /^email must be a string/],
    [{ email: ['bob@example.test'] }, /^email must be a string/],
    [{ displayName: { first: 'Bob' } }, /^displayName must be a string/],
    [{ displayName: true }, /^displayName must be a string/],
    [{ displayName: '' }, /^displayName must be longer/],
    [{ displayName: 'x'.repeat(81) }, /^displayName must be shorter/],
    [{ email: `${'x'.repeat(250)}@example.test` }, /^email must be/],
  ])('refuses %j with a 400 problem and leaves the profile as it was', async (payload, error) => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/users/me',
      headers: bearer('usr_alice', 'users:write'),
      payload,
    });
    expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), 400]);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, errors: [expect.stringMatching(error)] });
    const after = await app.inject({ method: 'GET', url: '/users/me', headers: bearer('usr_alice', 'users:read') });
    expect(after.json()).toMatchObject({ email: 'alice@example.test', displayName: 'Alice Andersen' });
  });

  it('accepts well-formed Unicode outside the BMP', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/users/me',
      headers: bearer('usr_bob', 'users:write'),
      payload: { displayName: 'Robert 😀' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().displayName).toBe('Robert 😀');
  });

  it('answers a rule only the database knows with a 422 problem without its internals, never a 5xx', async () => {
    // A stand-in for any rule validation misses: a CHECK constraint added to the real table.
    const db = app.get(DataSource);
    await db.query("ALTER TABLE user_profiles ADD CONSTRAINT test_only_no_mallory CHECK (display_name <> 'Mallory')");
    try {
      const res = await app.inject({
        method: 'PATCH',
        url: '/users/me',
        headers: bearer('usr_bob', 'users:write'),
        payload: { displayName: 'Mallory' },
      });
      expectProblem(res, 422, 'Unprocessable entity', expect.any(String));
      expect(res.body).not.toMatch(/test_only_no_mallory|user_profiles|Mallory|violates|constraint/);
    } finally {
      await db.query('ALTER TABLE user_profiles DROP CONSTRAINT test_only_no_mallory');
    }
  });

  it("refuses another user's profile to a normal user (403) and shows it to an admin", async () => {
    const user = await app.inject({ method: 'GET', url: '/users/usr_bob', headers: bearer('usr_alice', 'users:read') });
    expect(user.statusCode).toBe(403);
    const admin = await app.inject({
      method: 'GET',
      url: '/users/usr_bob',
      headers: bearer('usr_admin', 'users:admin'),
    });
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
