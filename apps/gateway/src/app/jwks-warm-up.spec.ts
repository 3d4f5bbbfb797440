import { JwksKeyStore } from '@zt/security';
import type { TestIssuer } from '@zt/security/testing';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';

/**
 * The gateway builds its verifier the library's one way (provideAccessTokenVerifier), JWKS warm-up
 * included. JWTs straight from a test issuer (GATEWAY_ACCEPT_CLIENT_JWTS=true) reach the verifier
 * without an authorization server.
 */
describe('gateway verifier: JWKS warm-up at start-up and the route scopes', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let payments: EchoUpstream;

  beforeAll(async () => {
    issuer = await bed.issuer('payments-api');
    payments = await bed.upstream('payments');
  });

  const start = () =>
    bed.gateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      PAYMENTS_API_URL: payments.url,
    });

  it('has the keys before the first request when the JWKS is reachable', async () => {
    issuer.available = true;
    const before = issuer.jwksFetchCount;
    const gateway = await start();
    expect(issuer.jwksFetchCount - before).toBe(1);
    expect(gateway.get(JwksKeyStore).fetchCount).toBe(1);

    const res = await gateway.inject({
      method: 'GET',
      url: '/api/payments',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'payments:read' })}` },
    });
    expect(res.statusCode).toBe(200);
    expect(issuer.jwksFetchCount - before).toBe(1);
  });

  it('starts with the JWKS unreachable and lets no token through', async () => {
    issuer.available = false;
    const before = issuer.jwksFetchCount;
    const seen = payments.requests.length;
    const gateway = await start();
    expect(issuer.jwksFetchCount - before).toBe(1);

    const res = await gateway.inject({
      method: 'GET',
      url: '/api/payments',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'payments:read' })}` },
    });
    expect(res.statusCode).toBe(401);
    expect(payments.requests.length).toBe(seen);
    issuer.available = true;
  });

  it('checks the route scopes with the library rule: any one of them, whole strings', async () => {
    issuer.available = true;
    const gateway = await start();
    const call = (method: 'GET' | 'POST', scope: string) =>
      gateway.inject({
        method,
        url: '/api/payments',
        headers: { authorization: `Bearer ${issuer.token({ scope })}` },
        payload: method === 'POST' ? {} : undefined,
      });
    expect((await call('GET', 'payments:write')).statusCode).toBe(403);
    expect((await call('GET', 'payments:readx payments')).statusCode).toBe(403);
    expect((await call('POST', 'payments:read payments:approve')).statusCode).toBe(200);
    const refused = await call('GET', 'accounts:read');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['www-authenticate']).toMatch(/error="insufficient_scope", scope="payments:read"/);
  });
});
