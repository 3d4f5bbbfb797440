import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { metricValue } from '../testing/start-gateway';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Tokens from a test issuer (JWT accepted by configuration) keep these tests about limits, not introspection. */
describe('rate limits', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let upstream: EchoUpstream;

  beforeAll(async () => {
    issuer = await bed.issuer('users-api');
    upstream = await bed.upstream('users');
  });

  const gateway = (env: Record<string, string>) =>
    bed.gateway({
      ...issuer.env(),
      OAUTH_AUDIENCE: 'users-api',
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      USERS_API_URL: upstream.url,
      ...env,
    });
  const call = (app: NestFastifyApplication, token: string, ip = '10.0.0.1') =>
    app.inject({
      method: 'GET',
      url: '/api/users/me',
      remoteAddress: ip,
      headers: { authorization: `Bearer ${token}` },
    });

  it('limits per user in memory, with RateLimit headers and 429 + Retry-After', async () => {
    const app = await gateway({
      GATEWAY_RATE_LIMIT_USER: '3/10',
      GATEWAY_RATE_LIMIT_IP: 'off',
      GATEWAY_RATE_LIMIT_CLIENT: 'off',
    });
    const token = issuer.token({ sub: `u-${randomUUID()}`, scope: 'users:read', aud: 'users-api' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(app, token)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call(app, token);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['ratelimit-policy']).toBe('"user-10s";q=3;w=10');
    expect(refused.headers['ratelimit']).toMatch(/^"user-10s";r=0;t=\d+$/);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const other = issuer.token({ sub: `u-${randomUUID()}`, scope: 'users:read', aud: 'users-api' });
    expect((await call(app, other)).statusCode).toBe(200);
    expect(await metricValue(app, 'gateway_rate_limit_rejections_total{dimension="user"}')).toBe(2);
  });

  it('limits per IP before authentication, trusting X-Forwarded-For only from configured proxies', async () => {
    const app = await gateway({ GATEWAY_RATE_LIMIT_IP: '2/10', GATEWAY_TRUSTED_PROXIES: '10.9.0.0/16' });
    const viaProxy = (client: string) =>
      app.inject({
        method: 'GET',
        url: '/api/users/me',
        remoteAddress: '10.9.0.5',
        headers: { 'x-forwarded-for': client },
      });
    expect([
      (await viaProxy('1.1.1.1')).statusCode,
      (await viaProxy('1.1.1.1')).statusCode,
      (await viaProxy('1.1.1.1')).statusCode,
    ]).toEqual([401, 401, 429]);
    expect((await viaProxy('2.2.2.2')).statusCode).toBe(401);
    const direct = (spoofed: string) =>
      app.inject({
        method: 'GET',
        url: '/api/users/me',
        remoteAddress: '10.1.1.1',
        headers: { 'x-forwarded-for': spoofed },
      });
    expect([
      (await direct('3.3.3.3')).statusCode,
      (await direct('4.4.4.4')).statusCode,
      (await direct('5.5.5.5')).statusCode,
    ]).toEqual([401, 401, 429]);
  });

  it('shares one limit across two gateway instances through Redis', async () => {
    const env = {
      REDIS_URL,
      GATEWAY_RATE_LIMIT_USER: '4/30',
      GATEWAY_RATE_LIMIT_IP: 'off',
      GATEWAY_RATE_LIMIT_CLIENT: 'off',
    };
    // One after the other: startAppForTest swaps process.env while a module is built.
    const a = await gateway(env);
    const b = await gateway(env);
    const token = issuer.token({ sub: `u-${randomUUID()}`, scope: 'users:read', aud: 'users-api' });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await call(a, token)).statusCode);
      statuses.push((await call(b, token)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const fresh = await gateway({
      GATEWAY_RATE_LIMIT_USER: '4/30',
      GATEWAY_RATE_LIMIT_IP: 'off',
      GATEWAY_RATE_LIMIT_CLIENT: 'off',
    });
    expect((await call(fresh, token)).statusCode).toBe(200);
  });
});
