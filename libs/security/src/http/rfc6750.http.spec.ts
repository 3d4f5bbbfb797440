import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '../testing/test-issuer';
import { startTestApp } from '../testing/http-test-app';

describe('HTTP: global guard and RFC 6750 errors through Nest on Fastify', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  const get = (url: string, authorization?: string) =>
    app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    app = await startTestApp(issuer);
  });
  afterAll(async () => {
    await app.close();
    await issuer.stop();
  });

  it('lets @Public() routes through without a token', async () => {
    expect((await get('/health')).statusCode).toBe(200);
  });

  it('answers a missing token with a bare challenge (no error code, RFC 6750 §3.1) and problem+json', async () => {
    const res = await get('/me');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Authentication required',
    });
  });

  it('treats another scheme (Basic) as no bearer token', async () => {
    expect((await get('/me', 'Basic dXNlcjpwYXNz')).headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('answers an invalid token with error="invalid_token" and no detail that helps an attacker', async () => {
    const forged = issuer.unsignedToken('none', {}, 'c2ln');
    const res = await get('/me', `Bearer ${forged}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(res.body).not.toMatch(/alg|none|ERR_|signature/i);
    expect(res.json().detail).toBe('The access token is invalid');
  });

  it('accepts the scheme in any case and returns the principal', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await get('/me', `${scheme} ${issuer.token()}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ sub: 'user-alice', scopes: ['accounts:read'] });
    }
  });

  it('never reads the token from the query string or the body', async () => {
    const token = issuer.token();
    expect((await get(`/me?access_token=${token}`)).statusCode).toBe(401);
    const res = await app.inject({
      method: 'POST',
      url: '/payments/p-1/approve',
      payload: `access_token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('refuses an oversized Authorization header early with invalid_request', async () => {
    const res = await get('/me', `Bearer ${'a'.repeat(9000)}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
  });

  it('rejects a malformed bearer credential', async () => {
    expect((await get('/me', 'Bearer')).statusCode).toBe(401);
    expect((await get('/me', 'Bearer a b')).headers['www-authenticate']).toContain('invalid_token');
  });

  it('answers a missing scope with 403 insufficient_scope naming the needed scopes', async () => {
    const res = await get('/accounts/both', `Bearer ${issuer.token({ scope: 'accounts:read' })}`);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="accounts:read accounts:write"',
    );
    expect(res.json().status).toBe(403);
  });

  it('treats a valid token without a scope claim as holding no scopes: 403 insufficient_scope, not 401', async () => {
    const token = issuer.token({ scope: undefined });
    const res = await get('/accounts', `Bearer ${token}`);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="accounts:read"',
    );
    // The same token still opens an @Authenticated() route: it is valid, it just grants nothing.
    const me = await get('/me', `Bearer ${token}`);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ sub: 'user-alice', scopes: [] });
  });

  it('refuses a token whose scope claim is not a string as invalid_token (401)', async () => {
    for (const scope of [['accounts:read'], 7, null]) {
      const res = await get('/me', `Bearer ${issuer.token({ scope })}`);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it('compares scopes as whole strings (no prefix tricks)', async () => {
    for (const scope of [
      'accounts:rea',
      'accounts:read:x',
      'accounts',
      'ACCOUNTS:READ',
      'accounts:read,accounts:write',
    ]) {
      expect((await get('/accounts', `Bearer ${issuer.token({ scope })}`)).statusCode).toBe(403);
    }
    expect((await get('/accounts', `Bearer ${issuer.token({ scope: 'openid accounts:read' })}`)).statusCode).toBe(200);
  });

  it('checks all-of (@Scopes) and any-of (@AnyScope)', async () => {
    expect(
      (await get('/accounts/both', `Bearer ${issuer.token({ scope: 'accounts:write accounts:read' })}`)).statusCode,
    ).toBe(200);
    expect((await get('/payments', `Bearer ${issuer.token({ scope: 'payments:write' })}`)).statusCode).toBe(200);
    expect((await get('/payments', `Bearer ${issuer.token({ scope: 'accounts:read' })}`)).statusCode).toBe(403);
  });

  it('re-checks the route scopes on a cached (already verified) token', async () => {
    const token = issuer.token({ scope: 'accounts:read' });
    expect((await get('/accounts', `Bearer ${token}`)).statusCode).toBe(200);
    expect((await get('/accounts/both', `Bearer ${token}`)).statusCode).toBe(403);
  });

  it('binds a transaction token to one payment (@ClaimMatchesParam)', async () => {
    const auth = `Bearer ${issuer.token({ scope: 'payments:approve', transaction_id: 'p-1' })}`;
    const approve = (id: string, a = auth) =>
      app.inject({ method: 'POST', url: `/payments/${id}/approve`, headers: { authorization: a } });
    expect((await approve('p-1')).statusCode).toBe(201);
    const other = await approve('p-2');
    expect(other.statusCode).toBe(403);
    expect(other.headers['www-authenticate']).toBeUndefined();
    expect((await approve('p-1', `Bearer ${issuer.token({ scope: 'payments:approve' })}`)).statusCode).toBe(403);
  });

  it('hides objects of other users behind a 404 (assertOwnedBy)', async () => {
    const auth = `Bearer ${issuer.token()}`;
    expect((await get('/users/user-alice/profile', auth)).statusCode).toBe(200);
    const bob = await get('/users/user-bob/profile', auth);
    const missing = await get('/users/nobody/profile', auth);
    expect(bob.statusCode).toBe(404);
    expect(bob.body).toBe(missing.body);
  });

  it('refuses @CurrentPrincipal() on a public route instead of inventing one', async () => {
    expect((await get('/public/whoami')).statusCode).toBe(401);
  });

  it('keeps AuthGuard("jwt") working with the same verifier', async () => {
    expect((await get('/passport', `Bearer ${issuer.token()}`)).json()).toEqual({ sub: 'user-alice' });
    const res = await get('/passport', `Bearer ${issuer.hmacWithPublicKeyToken()}`);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    expect((await get('/passport')).headers['www-authenticate']).toBe('Bearer realm="api"');
  });
});
