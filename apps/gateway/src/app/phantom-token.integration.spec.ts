/* eslint-disable @nx/enforce-module-boundaries -- an integration test starts the real authorization
   server in-process with its own test helpers; production code never imports another app. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as oauth from 'openid-client';
import { clientFor, devToken } from '../../../authorization-server/src/testing/oauth-clients';
import {
  RunningServer,
  startAuthorizationServer,
} from '../../../authorization-server/src/testing/start-authorization-server';
import type { EchoUpstream as Echo } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { metricValue } from '../testing/start-gateway';

const INTROSPECTIONS = 'gateway_introspection_duration_seconds_count{outcome="active"}';

describe('gateway against the real authorization server: phantom token', () => {
  const bed = gatewayTestBed();
  let as: RunningServer;
  let users: Echo;
  let accountsEu: Echo;
  let accountsUs: Echo;
  let payments: Echo;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    as = bed.stopAfterAll(await startAuthorizationServer({ database: 'zt_test_gateway_phantom' }), () => as.close());
    [users, accountsEu, accountsUs, payments] = await Promise.all([
      bed.upstream('users'),
      bed.upstream('accounts-eu'),
      bed.upstream('accounts-us'),
      bed.upstream('payments'),
    ]);
    gateway = await bed.gateway({
      OAUTH_ISSUER: as.issuer,
      USERS_API_URL: users.url,
      ACCOUNTS_API_URL_EU: accountsEu.url,
      ACCOUNTS_API_URL_US: accountsUs.url,
      PAYMENTS_API_URL: payments.url,
      GATEWAY_INTROSPECTION_CACHE_MAX_SECONDS: '2',
    });
  });

  const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
    gateway.inject({
      method: 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });

  it('swaps the opaque token for the JWT and strips /api', async () => {
    const token = await devToken(as.issuer, 'alice', 'users:read');
    const res = await get('/api/users/me?x=1', token);
    expect(res.statusCode).toBe(200);
    const echoed = res.json();
    expect(echoed.url).toBe('/users/me?x=1');
    const jwt = String(echoed.headers.authorization).replace(/^Bearer /, '');
    expect(jwt).not.toBe(token);
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).toMatchObject({ iss: as.issuer, sub: 'usr_alice', scope: 'users:read', region: 'eu' });
    expect(JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()).typ).toBe('at+jwt');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(echoed.headers['x-request-id']).toBe(res.headers['x-request-id']);
  });

  it('makes ONE introspection for concurrent requests with the same new token', async () => {
    const token = await devToken(as.issuer, 'bob', 'payments:read');
    const before = await metricValue(gateway, INTROSPECTIONS);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get('/api/payments', token)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect((await metricValue(gateway, INTROSPECTIONS)) - before).toBe(1);
    await get('/api/payments/p1', token);
    expect((await metricValue(gateway, INTROSPECTIONS)) - before).toBe(1);
  });

  it('re-checks the route scopes on a cache hit', async () => {
    const token = await devToken(as.issuer, 'alice', 'users:read');
    expect((await get('/api/users/me', token)).statusCode).toBe(200);
    const before = await metricValue(gateway, INTROSPECTIONS);
    const res = await get('/api/payments', token);
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toContain('insufficient_scope');
    const write = await gateway.inject({
      method: 'POST',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${token}` },
      payload: { a: 1 },
    });
    expect(write.statusCode).toBe(403);
    expect(await metricValue(gateway, INTROSPECTIONS)).toBe(before);
  });

  it('refuses a revoked token once its cache entry ends', async () => {
    const token = await devToken(as.issuer, 'bob', 'payments:read');
    expect((await get('/api/payments', token)).statusCode).toBe(200);
    await oauth.tokenRevocation(await clientFor(as.issuer, 'dev-tokens'), token);
    expect((await get('/api/payments', token)).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const res = await get('/api/payments', token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses unknown tokens, missing tokens and JWTs from internet clients', async () => {
    expect((await get('/api/users/me', 'not-a-real-token')).statusCode).toBe(401);
    expect((await get('/api/users/me')).statusCode).toBe(401);
    const token = await devToken(as.issuer, 'alice', 'users:read');
    const jwt = String((await get('/api/users/me', token)).json().headers.authorization).slice(7);
    const res = await get('/api/users/me', jwt);
    expect(res.statusCode).toBe(401);
  });

  it('routes region-bound data by the verified region claim', async () => {
    const alice = await devToken(as.issuer, 'alice', 'accounts:read');
    const bob = await devToken(as.issuer, 'bob', 'accounts:read');
    expect((await get('/api/accounts/mine', alice)).json().upstream).toBe('accounts-eu');
    expect((await get('/api/accounts/mine', bob)).json().upstream).toBe('accounts-us');
    expect((await get('/api/accounts/mine', bob, { 'x-region': 'eu', 'x-user-region': 'eu' })).json().upstream).toBe(
      'accounts-us',
    );
  });

  it('strips spoofable and hop-by-hop headers and keeps the gateway cookies to itself', async () => {
    const token = await devToken(as.issuer, 'alice', 'users:read');
    const res = await get('/api/users/me', token, {
      'x-user-id': 'usr_admin',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil',
      forwarded: 'for=6.6.6.6',
      'x-internal-identity': 'admin',
      'x-real-ip': '6.6.6.6',
      connection: 'keep-alive, x-keep-me',
      'x-keep-me': 'gone',
      te: 'trailers',
      cookie: '__Host-zt-at=v1.abc',
      'x-harmless': 'ok',
    });
    const headers = res.json().headers;
    for (const name of [
      'x-user-id',
      'x-forwarded-host',
      'forwarded',
      'x-internal-identity',
      'x-real-ip',
      'x-keep-me',
      'te',
      'cookie',
    ])
      expect(headers[name]).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-harmless']).toBe('ok');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('never shows an upstream failure, accepts only JSON, refuses path tricks and unknown routes', async () => {
    const token = await devToken(as.issuer, 'bob', 'payments:read payments:write');
    const boom = await get('/api/payments/boom', token);
    expect(boom.statusCode).toBe(502);
    expect(boom.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(boom.body).not.toMatch(/TypeError|stack|srv/);
    const form = await gateway.inject({
      method: 'POST',
      url: '/api/payments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      payload: 'x=1',
    });
    expect(form.statusCode).toBe(415);
    const json = await gateway.inject({
      method: 'POST',
      url: '/api/payments',
      headers: { authorization: `Bearer ${token}` },
      payload: { amount: '10.00' },
    });
    expect(json.json()).toMatchObject({ method: 'POST', body: { amount: '10.00' } });
    expect((await get('/api/payments/..%2fusers', token)).statusCode).toBe(400);
    const badJson = await gateway.inject({
      method: 'POST',
      url: '/api/payments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.headers['content-type']).toMatch(/^application\/problem\+json/);
    const missing = await get('/nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(
      (
        await gateway.inject({
          method: 'POST',
          url: '/token/introspection',
          payload: 'token=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('passes the authorization server public endpoints through', async () => {
    const discovery = await get('/.well-known/openid-configuration');
    expect(discovery.statusCode).toBe(200);
    expect(discovery.json().issuer).toBe(as.issuer);
    expect((await get('/jwks')).json().keys.length).toBeGreaterThan(0);
  });
});
