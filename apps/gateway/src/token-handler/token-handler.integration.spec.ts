/* eslint-disable @nx/enforce-module-boundaries -- an integration test starts the real authorization
   server in-process with its own test helpers; production code never imports another app. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { formAction, formField, ScriptedBrowser } from '../../../authorization-server/src/testing/browser';
import {
  RunningServer,
  startAuthorizationServer,
} from '../../../authorization-server/src/testing/start-authorization-server';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { COOKIES } from './session-cookies';

const ORIGIN = 'http://127.0.0.1:8080';
const csrf = { origin: ORIGIN, 'x-zt-csrf': '1' };

/** A browser session: the cookies the gateway set, sent back the way a browser would. */
function cookieHeader(setCookies: string[], jar: Map<string, string> = new Map()): Map<string, string> {
  for (const line of setCookies) {
    // split() always yields a first element; the defaults only satisfy the type checker.
    const [pair = '', ...attributes] = line.split(';');
    const [name = '', ...value] = pair.split('=');
    if (attributes.some((a) => /max-age=0|expires=Thu, 01 Jan 1970/i.test(a.trim()))) jar.delete(name);
    else jar.set(name, value.join('='));
  }
  return jar;
}
const asHeader = (jar: Map<string, string>) => [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
const setCookies = (res: { headers: Record<string, unknown> }) => [res.headers['set-cookie'] ?? []].flat() as string[];

describe('token handler (OAuth agent) against the real authorization server', () => {
  const bed = gatewayTestBed();
  let as: RunningServer;
  let upstream: EchoUpstream;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    as = bed.stopAfterAll(await startAuthorizationServer({ database: 'zt_test_gateway_bff' }), () => as.close());
    upstream = await bed.upstream('accounts');
    gateway = await bed.gateway({
      OAUTH_ISSUER: as.issuer,
      ACCOUNTS_API_URL_EU: upstream.url,
      ACCOUNTS_API_URL_US: upstream.url,
    });
  });

  async function login(): Promise<Map<string, string>> {
    const start = await gateway.inject({ method: 'POST', url: '/auth/login', headers: csrf });
    expect(start.statusCode).toBe(200);
    const jar = cookieHeader(setCookies(start));
    const browser = new ScriptedBrowser(as.issuer);
    const page = (await browser.follow(await browser.get(start.json().authorizationUrl))).page ?? '';
    let step = await browser.follow(
      await browser.post(formAction(page, 'login'), {
        csrf: formField(page, 'csrf'),
        username: 'alice',
        password: 'alice-password',
      }),
    );
    if (step.page?.includes('/confirm'))
      step = await browser.follow(
        await browser.post(formAction(step.page, 'confirm'), { csrf: formField(step.page, 'csrf') }),
      );
    const callback = new URL(step.location as string);
    expect(callback.pathname).toBe('/auth/callback');
    const done = await gateway.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: asHeader(jar) },
    });
    expect(done.statusCode).toBe(303);
    return cookieHeader(setCookies(done), jar);
  }

  it('logs in with code + PKCE and keeps the tokens in encrypted, HTTP-only, Secure, SameSite=Strict cookies', async () => {
    const jar = await login();
    expect(jar.has(COOKIES.access)).toBe(true);
    expect(jar.has(COOKIES.login)).toBe(false);
    const session = await gateway.inject({ method: 'GET', url: '/auth/session', headers: { cookie: asHeader(jar) } });
    expect(session.json()).toMatchObject({ authenticated: true, sub: 'usr_alice', region: 'eu' });
    expect(session.body).not.toContain(jar.get(COOKIES.access) as string);
    const api = await gateway.inject({ method: 'GET', url: '/api/accounts/mine', headers: { cookie: asHeader(jar) } });
    expect(api.statusCode).toBe(200);
    expect(api.json().headers.authorization).toMatch(/^Bearer ey/);
    expect(api.json().headers.cookie).toBeUndefined();
  });

  it('sets cookies with every protective attribute', async () => {
    const start = await gateway.inject({ method: 'POST', url: '/auth/login', headers: csrf });
    const line = setCookies(start)[0];
    expect(line).toMatch(/^__Host-zt-login=v1\./);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(line).toContain(attribute);
  });

  it('refuses a tampered or transplanted cookie', async () => {
    const jar = await login();
    const value = jar.get(COOKIES.access) as string;
    const flipped = `${value.slice(0, -2)}${value.slice(-2) === 'AA' ? 'AB' : 'AA'}`;
    const tampered = await gateway.inject({
      method: 'GET',
      url: '/api/accounts/mine',
      headers: { cookie: `${COOKIES.access}=${flipped}` },
    });
    expect(tampered.statusCode).toBe(401);
    const refreshAsAccess = await gateway.inject({
      method: 'GET',
      url: '/api/accounts/mine',
      headers: { cookie: `${COOKIES.access}=${jar.get(COOKIES.refresh)}` },
    });
    expect(refreshAsAccess.statusCode).toBe(401);
  });

  it('refuses state-changing cookie requests without an allowed Origin and the CSRF header', async () => {
    const jar = await login();
    const post = (headers: Record<string, string>) =>
      gateway.inject({
        method: 'POST',
        url: '/api/accounts/mine',
        headers: { cookie: asHeader(jar), ...headers },
        payload: {},
      });
    expect((await post({ 'x-zt-csrf': '1' })).statusCode).toBe(403);
    expect((await post({ origin: 'https://evil.example', 'x-zt-csrf': '1' })).statusCode).toBe(403);
    expect((await post({ origin: ORIGIN })).statusCode).toBe(403);
    expect(
      (await gateway.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: asHeader(jar) } })).statusCode,
    ).toBe(403);
    expect(
      (
        await gateway.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { origin: 'https://evil.example', 'x-zt-csrf': '1' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('refuses a callback whose state does not match the login cookie', async () => {
    const start = await gateway.inject({ method: 'POST', url: '/auth/login', headers: csrf });
    const jar = cookieHeader(setCookies(start));
    const res = await gateway.inject({
      method: 'GET',
      url: '/auth/callback?code=x&state=forged',
      headers: { cookie: asHeader(jar) },
    });
    expect(res.statusCode).toBe(400);
  });

  it('refreshes, then logs out: cookies cleared and the session gone', async () => {
    const jar = await login();
    const before = jar.get(COOKIES.access);
    const refreshed = await gateway.inject({
      method: 'POST',
      url: '/auth/refresh',
      headers: { cookie: asHeader(jar), ...csrf },
    });
    expect(refreshed.statusCode).toBe(204);
    cookieHeader(setCookies(refreshed), jar);
    expect(jar.get(COOKIES.access)).not.toBe(before);
    expect(
      (await gateway.inject({ method: 'GET', url: '/api/accounts/mine', headers: { cookie: asHeader(jar) } }))
        .statusCode,
    ).toBe(200);
    const old = new Map(jar);
    const out = await gateway.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie: asHeader(jar), ...csrf },
    });
    expect(out.statusCode).toBe(204);
    cookieHeader(setCookies(out), jar);
    expect(jar.has(COOKIES.access)).toBe(false);
    expect(
      (await gateway.inject({ method: 'GET', url: '/api/accounts/mine', headers: { cookie: asHeader(old) } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await gateway.inject({ method: 'POST', url: '/auth/refresh', headers: { cookie: asHeader(old), ...csrf } }))
        .statusCode,
    ).toBe(401);
  });
});
