/* eslint-disable @nx/enforce-module-boundaries -- an integration test starts the real authorization
   server in-process with its own test helpers; production code never imports another app. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { devSecret, postForm } from '../../../authorization-server/src/testing/oauth-clients';
import {
  RunningServer,
  startAuthorizationServer,
} from '../../../authorization-server/src/testing/start-authorization-server';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { DEVELOPMENT_USER_GRANT } from './authorization-server-proxy.controller';

const DEV_TOKENS_BASIC = `Basic ${Buffer.from(`dev-tokens:${devSecret('dev-tokens')}`).toString('base64')}`;

describe('the development-user grant is never reachable through the gateway', () => {
  const bed = gatewayTestBed();
  let as: RunningServer;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    // Both in development mode, where the authorization server does offer the grant.
    as = bed.stopAfterAll(await startAuthorizationServer({ database: 'zt_test_gateway_dev_grant' }), () => as.close());
    gateway = await bed.gateway({ NODE_ENV: 'development', OAUTH_ISSUER: as.issuer });
  });

  const viaGateway = (payload: string, url = '/token', contentType = 'application/x-www-form-urlencoded') =>
    gateway.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: DEV_TOKENS_BASIC, 'content-type': contentType },
    });
  const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString();

  it("is offered by the development authorization server itself (so the refusal below is the gateway's)", async () => {
    const direct = await postForm(
      `${as.issuer}/token`,
      { grant_type: DEVELOPMENT_USER_GRANT, username: 'admin', scope: 'users:read' },
      'dev-tokens',
    );
    expect(direct.status).toBe(200);
    expect(direct.json.access_token).toEqual(expect.any(String));
  });

  it.each([
    [
      'in the form',
      () =>
        viaGateway(
          form([
            ['grant_type', DEVELOPMENT_USER_GRANT],
            ['username', 'admin'],
            ['scope', 'users:read'],
          ]),
        ),
    ],
    [
      'repeated after another grant type',
      () =>
        viaGateway(
          form([
            ['grant_type', 'client_credentials'],
            ['grant_type', DEVELOPMENT_USER_GRANT],
            ['username', 'admin'],
          ]),
        ),
    ],
    [
      'in the query string',
      () =>
        viaGateway(form([['username', 'admin']]), `/token?grant_type=${encodeURIComponent(DEVELOPMENT_USER_GRANT)}`),
    ],
    [
      'in a JSON body',
      () =>
        viaGateway(
          JSON.stringify({ grant_type: DEVELOPMENT_USER_GRANT, username: 'admin' }),
          '/token',
          'application/json',
        ),
    ],
    [
      'with an upper-case content type',
      () =>
        viaGateway(
          form([
            ['grant_type', DEVELOPMENT_USER_GRANT],
            ['username', 'admin'],
          ]),
          '/token',
          'APPLICATION/X-WWW-FORM-URLENCODED',
        ),
    ],
  ])(
    'answers unsupported_grant_type (RFC 6749) when the grant is named %s, and mints nothing',
    async (_where, send) => {
      const res = await send();
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'this grant type is not offered here',
      });
      expect(res.body).not.toContain('access_token');
    },
  );

  it('still passes every other token request through to the authorization server', async () => {
    const res = await viaGateway(
      form([
        ['grant_type', 'authorization_code'],
        ['code', 'not-a-real-code'],
        ['redirect_uri', 'http://127.0.0.1:8080/auth/callback'],
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).not.toBe('unsupported_grant_type');
  });
});
