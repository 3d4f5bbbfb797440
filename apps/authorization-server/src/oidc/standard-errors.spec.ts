import { postForm } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

describe('discovery, JWKS and standard errors for malformed requests', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_errors' });
  });
  afterAll(() => server?.close());

  it('publishes discovery and a public-only JWKS', async () => {
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({
      issuer: server.issuer,
      jwks_uri: `${server.issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
      authorization_details_types_supported: ['payment_approval'],
      introspection_endpoint: `${server.issuer}/token/introspection`,
      revocation_endpoint: `${server.issuer}/token/revocation`,
    });
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ]),
    );
    const jwks = (await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: object[] };
    for (const key of jwks.keys)
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
  });

  it.each([
    ['no grant_type', {}, 'gateway-bff', 'invalid_request'],
    [
      'an unknown grant_type',
      { grant_type: 'password', username: 'alice', password: 'x' },
      'gateway-bff',
      'unsupported_grant_type',
    ],
    ['a wrong client secret', { grant_type: 'client_credentials' }, 'wrong-secret', 'invalid_client'],
    ['an unknown client', { grant_type: 'client_credentials' }, 'nobody', 'invalid_client'],
    [
      'a code that does not exist',
      {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: 'http://127.0.0.1:8080/auth/callback',
        code_verifier: 'v'.repeat(43),
      },
      'gateway-bff',
      'invalid_grant',
    ],
    [
      'a refresh token that does not exist',
      { grant_type: 'refresh_token', refresh_token: 'nope' },
      'gateway-bff',
      'invalid_grant',
    ],
    [
      'an unknown resource',
      { grant_type: 'client_credentials', resource: 'https://evil.example' },
      'payments-service',
      'invalid_target',
    ],
    [
      'repeated parameters',
      { grant_type: ['client_credentials', 'client_credentials'] },
      'payments-service',
      'invalid_request',
    ],
    [
      'a dev grant for an unknown user',
      { grant_type: 'urn:zt:params:oauth:grant-type:dev-user', username: 'mallory' },
      'dev-tokens',
      'invalid_grant',
    ],
    [
      'a dev grant asking for users:admin for alice',
      { grant_type: 'urn:zt:params:oauth:grant-type:dev-user', username: 'alice', scope: 'users:admin' },
      'dev-tokens',
      'invalid_scope',
    ],
  ])('answers %s at the token endpoint with %s', async (_what, form, clientId, error) => {
    const auth: Record<string, string> =
      clientId === 'wrong-secret'
        ? { authorization: `Basic ${Buffer.from('gateway-bff:wrong').toString('base64')}` }
        : clientId === 'nobody'
          ? { authorization: `Basic ${Buffer.from('nobody:x').toString('base64')}` }
          : {};
    const res = await postForm(
      `${server.issuer}/token`,
      form as Record<string, string>,
      Object.keys(auth).length ? undefined : clientId,
      auth,
    );
    expect([400, 401]).toContain(res.status);
    expect(res.json.error).toBe(error);
    expect(res.text).not.toMatch(/at .*\.js|stack/i);
  });

  it('answers a body that is not a form, a JSON body and a huge body with standard errors', async () => {
    const basic = `Basic ${Buffer.from('payments-service:dev-secret-payments-service-change-me').toString('base64')}`;
    for (const [type, body] of [
      ['application/json', '{"grant_type":"client_credentials"}'],
      ['text/plain', 'grant_type=client_credentials'],
      ['application/x-www-form-urlencoded', `a=${'x'.repeat(70_000)}`],
    ]) {
      const res = await fetch(`${server.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic },
        body,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
  });

  it('answers unknown routes and methods with a bare 404, never a stack trace', async () => {
    const res = await fetch(`${server.issuer}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not Found');
    const put = await fetch(`${server.issuer}/token`, { method: 'PUT' });
    expect(put.status).toBe(404);
  });

  it('answers a broken authorization request at the server without redirecting anywhere', async () => {
    const res = await fetch(`${server.issuer}/auth?client_id=nobody&response_type=code`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid_client');
    const bad = await fetch(
      `${server.issuer}/auth?client_id=gateway-bff&response_type=code&redirect_uri=https://evil.example/cb`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
  });
});
