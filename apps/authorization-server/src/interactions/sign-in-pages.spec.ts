import * as oauth from 'openid-client';
import { DataSource } from 'typeorm';
import { formAction, formField, ScriptedBrowser } from '../testing/browser';
import { clientFor, GATEWAY_BFF_REDIRECT } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

describe('sign-in pages: CSRF protection and backoff after failed logins', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_sign_in' });
    // Failures are remembered for an hour; each run starts from a clean slate.
    await server.app.get(DataSource).query('DELETE FROM login_attempts');
  });
  afterAll(() => server?.close());

  async function loginPage() {
    const config = await clientFor(server.issuer, 'gateway-bff');
    const browser = new ScriptedBrowser(server.issuer);
    const url = oauth.buildAuthorizationUrl(config, {
      redirect_uri: GATEWAY_BFF_REDIRECT,
      scope: 'accounts:read',
      state: 's',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const page = (await browser.follow(await browser.get(url.href))).page!;
    return { browser, page, action: formAction(page, 'login'), csrf: formField(page, 'csrf') };
  }

  it('serves the pages unframeable, uncached and without scripts', async () => {
    const { browser, action } = await loginPage();
    const res = await browser.get(action.replace(/\/login$/, ''));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses a form without the CSRF token, and one posted without the interaction cookie', async () => {
    const { browser, action, csrf } = await loginPage();
    const forged = await browser.post(action, { csrf: 'forged', username: 'alice', password: 'alice-password' });
    expect(forged.status).toBe(400);
    const cookieless = await fetch(new URL(action, server.issuer), {
      method: 'POST',
      body: new URLSearchParams({ csrf, username: 'alice', password: 'alice-password' }),
      redirect: 'manual',
    });
    expect(cookieless.status).toBe(400);
    expect(await cookieless.text()).not.toContain('alice-password');
  });

  it('slows down guessing: after three failures the account is locked for this client for a growing time', async () => {
    const { browser, action, csrf } = await loginPage();
    const attempt = (password: string) => browser.post(action, { csrf, username: 'bob', password });
    for (let i = 0; i < 2; i++) expect((await attempt('guess')).status).toBe(401);
    const third = await attempt('guess');
    expect(third.status).toBe(401);
    expect(await third.text()).toMatch(/Wait \d+ seconds/);
    const locked = await attempt('bob-password');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Too many failed attempts');
    // Other users are not affected by bob's lock.
    const other = await loginPage();
    const ok = await other.browser.post(other.action, {
      csrf: other.csrf,
      username: 'alice',
      password: 'alice-password',
    });
    expect(ok.status).toBe(303);
  });
});
