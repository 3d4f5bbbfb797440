/* eslint-disable @nx/enforce-module-boundaries -- an integration test starts the real authorization
   server in-process with its own test helpers; production code never imports another app. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { devToken } from '../../../authorization-server/src/testing/oauth-clients';
import {
  RunningServer,
  startAuthorizationServer,
} from '../../../authorization-server/src/testing/start-authorization-server';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';

describe('gateway when the authorization server goes down', () => {
  const bed = gatewayTestBed();
  // The authorization server is stopped by the test itself: that is the fault under test.
  let as: RunningServer;
  let upstream: EchoUpstream;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    as = await startAuthorizationServer({ database: 'zt_test_gateway_as_down' });
    upstream = await bed.upstream('payments');
    gateway = await bed.gateway({
      OAUTH_ISSUER: as.issuer,
      PAYMENTS_API_URL: upstream.url,
      GATEWAY_RETRY_AFTER_SECONDS: '7',
      GATEWAY_INTROSPECTION_TIMEOUT_MS: '1000',
    });
  });

  it('keeps cached tokens working, answers 503 + Retry-After for new ones, lets nothing unverified through', async () => {
    const loginWhileUp = await gateway.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { origin: 'http://127.0.0.1:8080', 'x-zt-csrf': '1' },
    });
    expect(loginWhileUp.statusCode).toBe(200);
    const cached = await devToken(as.issuer, 'bob', 'payments:read');
    const uncached = await devToken(as.issuer, 'alice', 'payments:read');
    const call = (token: string) =>
      gateway.inject({ method: 'GET', url: '/api/payments', headers: { authorization: `Bearer ${token}` } });
    expect((await call(cached)).statusCode).toBe(200);
    await as.close();
    const seen = upstream.requests.length;

    expect((await call(cached)).statusCode).toBe(200);
    const refused = await call(uncached);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('7');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect((await call('garbage-token')).statusCode).toBe(503);
    expect(upstream.requests.length).toBe(seen + 1);
  });

  it('answers a new browser login with 503 while the authorization server is down', async () => {
    // The server was closed by the previous case; discovery had been fetched while it was up.
    const res = await gateway.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { origin: 'http://127.0.0.1:8080', 'x-zt-csrf': '1' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
  });
});
