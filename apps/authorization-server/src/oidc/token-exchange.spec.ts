import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'openid-client';
import { clientFor, devToken, introspect, postForm } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

describe('services: token exchange (RFC 8693) and client credentials', () => {
  let server: RunningServer;
  let userJwt: string;
  const exchange = (params: Record<string, string | string[]>, clientId = 'payments-service') =>
    postForm(
      `${server.issuer}/token`,
      { grant_type: EXCHANGE, subject_token: userJwt, subject_token_type: ACCESS_TOKEN, ...params },
      clientId,
    );

  beforeAll(async () => {
    server = await startAuthorizationServer({
      database: 'zt_test_as_exchange',
      env: { OAUTH_EVENT_TOKEN_TTL_SECONDS: '3600' },
    });
    const opaque = await devToken(server.issuer, 'alice', 'accounts:read payments:write payments:read');
    userJwt = (await introspect(server.issuer, opaque, { jwt: true })).text;
  });
  afterAll(() => server?.close());

  it('narrows scope and audience, keeps sub and region, binds one event, lives its own lifetime', async () => {
    const payload = Buffer.from('{"paymentId":"pay_1","amount":"10.00"}');
    const digest = createHash('sha256').update(payload).digest('base64url');
    const config = await clientFor(server.issuer, 'payments-service');
    const response = await oauth.genericGrantRequest(config, EXCHANGE, {
      subject_token: userJwt,
      subject_token_type: ACCESS_TOKEN,
      scope: 'payments:write',
      audience: 'accounts-api',
      event_id: 'evt_1',
      event_digest: digest,
    });
    expect(response).toMatchObject({
      issued_token_type: ACCESS_TOKEN,
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'payments:write',
    });
    expect(decodeProtectedHeader(response.access_token).typ).toBe('at+jwt');
    const { payload: claims } = await jwtVerify(
      response.access_token,
      createRemoteJWKSet(new URL(`${server.issuer}/jwks`)),
      {
        issuer: server.issuer,
        audience: 'accounts-api',
        typ: 'at+jwt',
      },
    );
    expect(claims).toMatchObject({
      sub: 'usr_alice',
      region: 'eu',
      client_id: 'payments-service',
      scope: 'payments:write',
      aud: ['accounts-api'],
      event_id: 'evt_1',
      event_digest: digest,
      act: { sub: 'payments-service' },
    });
    expect(claims.exp! - claims.iat!).toBe(3600);

    expect(decodeJwt(userJwt).act).toBeUndefined();

    // Exchanged again (accounts acting on what payments sent): the new actor first, the earlier one nested.
    const again = await postForm(
      `${server.issuer}/token`,
      { grant_type: EXCHANGE, subject_token: response.access_token, subject_token_type: ACCESS_TOKEN },
      'accounts-service',
    );
    expect(again.status).toBe(200);
    expect(decodeJwt(again.json.access_token as string).act).toEqual({
      sub: 'accounts-service',
      act: { sub: 'payments-service' },
    });
  });

  it.each([
    [{ scope: 'payments:write users:admin' }, 'invalid_scope'],
    [{ audience: 'users-api' }, 'invalid_target'],
    [{ audience: ['accounts-api', 'users-api'] }, 'invalid_target'],
    [{ subject_token: 'not.a.jwt' }, 'invalid_grant'],
    [{ subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }, 'invalid_request'],
    [{ event_id: 'evt_1' }, 'invalid_request'],
    [{ event_id: 'evt_1', event_digest: 'short' }, 'invalid_request'],
    [{ actor_token: 'x', actor_token_type: ACCESS_TOKEN }, 'invalid_request'],
  ])('refuses %j with %s', async (params, error) => {
    const res = await exchange(params as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe(error);
  });

  it('refuses a subject token not meant for the requesting service, and an opaque or forged one', async () => {
    expect((await exchange({}, 'users-service')).json.error).toBe('invalid_grant');
    const [header, body] = userJwt.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(userJwt), sub: 'usr_bob' })).toString('base64url')}.${userJwt.split('.')[2]}`;
    expect((await exchange({ subject_token: forged })).json.error).toBe('invalid_grant');
    expect(body).toBeTruthy();
  });

  it('is only open to the service clients', async () => {
    const res = await exchange({}, 'gateway-bff');
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
    expect(res.json.error_description).toMatch(/grant type is not allowed/);
  });

  it('issues machine-to-machine JWTs with client credentials, limited to what the service may have', async () => {
    const config = await clientFor(server.issuer, 'payments-service');
    const tokens = await oauth.clientCredentialsGrant(config, { scope: 'accounts:read payments:approve' });
    expect(tokens.scope).toBe('accounts:read');
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      sub: 'payments-service',
      client_id: 'payments-service',
      aud: ['accounts-api'],
    });
  });
});
