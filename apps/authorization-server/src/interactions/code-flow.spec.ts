import * as oauth from 'openid-client';
import { authorize } from '../testing/authorize';
import { BANK_CLI_REDIRECT, clientFor, GATEWAY_BFF_REDIRECT, postForm } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

describe('authorization code + PKCE with the sign-in pages (openid-client, real PostgreSQL)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_code_flow' });
  });
  afterAll(() => server?.close());

  it('signs alice in through gateway-bff and issues an opaque access token and a refresh token', async () => {
    const config = await clientFor(server.issuer, 'gateway-bff');
    const { tokens } = await authorize(config, server.issuer, {
      redirectUri: GATEWAY_BFF_REDIRECT,
      scope: 'openid accounts:read payments:write',
      username: 'alice',
      password: 'alice-password',
    });
    expect(tokens.access_token.split('.')).toHaveLength(1);
    expect(tokens.scope?.split(' ').sort()).toEqual(['accounts:read', 'payments:write']);
    expect(tokens.refresh_token).toBeDefined();
    expect(tokens.claims()?.sub).toBe('usr_alice');
  });

  it('rotates the refresh token on every use and revokes the grant when an old one comes back', async () => {
    const config = await clientFor(server.issuer, 'bank-cli');
    const { tokens } = await authorize(config, server.issuer, {
      redirectUri: BANK_CLI_REDIRECT,
      scope: 'payments:read',
      username: 'bob',
      password: 'bob-password',
    });
    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // Re-use of a rotated refresh token is treated as theft: the whole grant goes.
    await expect(oauth.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('never grants users:admin to alice, but does to admin', async () => {
    const config = await clientFor(server.issuer, 'gateway-bff');
    let consent = '';
    const alice = await authorize(config, server.issuer, {
      redirectUri: GATEWAY_BFF_REDIRECT,
      scope: 'users:read users:admin',
      username: 'alice',
      password: 'alice-password',
      onConsent: (page) => (consent = page),
    });
    expect(alice.tokens.scope).toBe('users:read');
    expect(consent).toContain('Not available to you');
    const admin = await authorize(config, server.issuer, {
      redirectUri: GATEWAY_BFF_REDIRECT,
      scope: 'users:read users:admin',
      username: 'admin',
      password: 'admin-password',
    });
    expect(admin.tokens.scope?.split(' ').sort()).toEqual(['users:admin', 'users:read']);
  });

  it('requires PKCE even from the confidential client', async () => {
    const config = await clientFor(server.issuer, 'gateway-bff');
    const url = oauth.buildAuthorizationUrl(config, {
      redirect_uri: GATEWAY_BFF_REDIRECT,
      scope: 'accounts:read',
      state: 's',
    });
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(GATEWAY_BFF_REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const config = await clientFor(server.issuer, 'gateway-bff');
    const res = await postForm(
      `${server.issuer}/token`,
      {
        grant_type: 'authorization_code',
        code: 'not-a-code',
        redirect_uri: GATEWAY_BFF_REDIRECT,
        code_verifier: 'x'.repeat(43),
      },
      'gateway-bff',
    );
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256']);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });
});
