import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'openid-client';
import { clientFor, devToken, introspect, postForm } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

describe('introspection: JSON for everyone, the JWT (phantom token) for the gateway', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_introspection' });
  });
  afterAll(() => server?.close());

  it('answers JSON with the claims the APIs rely on', async () => {
    const token = await devToken(server.issuer, 'bob', 'accounts:read payments:write');
    const res = await introspect(server.issuer, token);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({
      active: true,
      sub: 'usr_bob',
      client_id: 'dev-tokens',
      region: 'us',
      iss: server.issuer,
      scope: 'accounts:read payments:write',
      aud: ['accounts-api', 'payments-api'],
      token_type: 'Bearer',
    });
  });

  it('returns the RFC 9068 JWT to the gateway on Accept: application/jwt, verifiable with the JWKS', async () => {
    const token = await devToken(server.issuer, 'alice', 'accounts:read');
    const json = (await introspect(server.issuer, token)).json;
    const res = await introspect(server.issuer, token, { jwt: true });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/jwt/);
    expect(decodeProtectedHeader(res.text)).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    const jwks = createRemoteJWKSet(new URL(`${server.issuer}/jwks`));
    const { payload } = await jwtVerify(res.text, jwks, {
      issuer: server.issuer,
      audience: 'accounts-api',
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      sub: 'usr_alice',
      client_id: 'dev-tokens',
      scope: 'accounts:read',
      region: 'eu',
      aud: ['accounts-api'],
    });
    expect(payload.exp).toBe(json.exp);
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.jti).not.toBe(token);
    expect(res.text).not.toContain(token);
  });

  it('gives other callers JSON even when they ask for a JWT, and only about their own tokens', async () => {
    const token = await devToken(server.issuer, 'alice', 'accounts:read');
    const own = await introspect(server.issuer, token, { jwt: true, clientId: 'dev-tokens' });
    expect(own.type).toMatch(/^application\/json/);
    expect(own.json.active).toBe(true);
    const stranger = await introspect(server.issuer, token, { clientId: 'payments-service' });
    expect(stranger.json).toEqual({ active: false });
  });

  it('answers active: false for unknown tokens in both forms, and for refresh tokens in the JWT form', async () => {
    expect((await introspect(server.issuer, 'no-such-token')).json).toEqual({ active: false });
    expect((await introspect(server.issuer, 'no-such-token', { jwt: true })).json).toEqual({ active: false });
  });

  it('revokes a token (RFC 7009): introspection then says inactive in both forms', async () => {
    const config = await clientFor(server.issuer, 'dev-tokens');
    const token = await devToken(server.issuer, 'bob', 'payments:read');
    expect((await introspect(server.issuer, token)).json.active).toBe(true);
    await oauth.tokenRevocation(config, token);
    expect((await introspect(server.issuer, token)).json).toEqual({ active: false });
    expect((await introspect(server.issuer, token, { jwt: true })).json).toEqual({ active: false });
  });

  it('lets only the owning client revoke a token', async () => {
    const token = await devToken(server.issuer, 'bob', 'payments:read');
    const res = await postForm(`${server.issuer}/token/revocation`, { token }, 'gateway-bff');
    expect(res.status).toBe(200);
    expect((await introspect(server.issuer, token)).json.active).toBe(true);
  });

  it('refuses introspection without client authentication', async () => {
    const res = await postForm(`${server.issuer}/token/introspection`, { token: 'x' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });
});
