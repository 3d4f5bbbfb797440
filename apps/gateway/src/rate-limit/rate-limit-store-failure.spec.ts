import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { metricValue } from '../testing/start-gateway';

/** REDIS_URL names a port where nothing listens: the shared store is down from the start. */
describe('rate limits when the shared store is down', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let users: EchoUpstream;

  beforeAll(async () => {
    issuer = await bed.issuer('users-api');
    users = await bed.upstream('users');
  });

  const gatewayWith = (failure: 'open' | 'closed') =>
    bed.gateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      USERS_API_URL: users.url,
      REDIS_URL: 'redis://127.0.0.1:1',
      GATEWAY_RATE_LIMIT_STORE_FAILURE: failure,
    });
  const call = (app: NestFastifyApplication) =>
    app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'users:read' })}` },
    });

  it('lets requests through by default, counting and logging each failed count', async () => {
    const app = await gatewayWith('open');
    expect((await call(app)).statusCode).toBe(200);
    expect(await metricValue(app, 'gateway_rate_limit_store_errors_total')).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 with Retry-After when configured to fail closed, before any upstream call', async () => {
    const app = await gatewayWith('closed');
    const before = users.requests.length;
    const res = await call(app);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(users.requests.length).toBe(before);
  });
});
