// Logging in as a user would, over HTTP (used by the demo's story and the e2e cases): the authorization server's own sign-in and consent
// pages, authorization code + PKCE. Two client kinds: the mobile/CLI app (bank-cli, holds an
// opaque token) and the browser through the gateway's token handler (holds only cookies).
import { createHash, randomBytes } from 'node:crypto';
import { Browser, formAction, formField } from './browser.mjs';
import { GATEWAY, ISSUER } from './topology.mjs';

const CLI_REDIRECT = 'http://127.0.0.1:53682/callback';
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

/**
 * Where a browser signs in: the issuer's discovery document (RFC 8414) names the endpoints, and
 * they must be reachable from where the browser is (a host name only the servers' network knows
 * fails here, as it would for a user).
 */
async function discover(issuer) {
  const url = `${issuer}/.well-known/openid-configuration`;
  let res;
  try {
    res = await fetch(url);
  } catch (error) {
    throw new Error(`cannot reach the issuer's discovery at ${url} (${error.cause?.code ?? error.message})`);
  }
  const metadata = await res.json().catch(() => ({}));
  if (!res.ok || metadata.issuer !== issuer)
    throw new Error(`discovery at ${url} answered ${res.status} for issuer ${JSON.stringify(metadata.issuer)}`);
  return metadata;
}

/** Signs in and consents on the AS pages; returns the redirect back to the client (with the code). */
async function signIn(browser, startResponse, username, redirectPrefix, onConsent) {
  let step = await browser.follow(startResponse, redirectPrefix);
  if (!step.page?.includes('/login')) throw new Error(`no sign-in page (status ${step.status})`);
  step = await browser.follow(
    await browser.request(new URL(formAction(step.page, 'login'), step.url).href, {
      method: 'POST',
      form: { csrf: formField(step.page, 'csrf'), username, password: `${username}-password` },
    }),
    redirectPrefix,
  );
  if (step.page?.includes('/confirm')) {
    onConsent?.(step.page);
    step = await browser.follow(
      await browser.request(new URL(formAction(step.page, 'confirm'), step.url).href, {
        method: 'POST',
        form: { csrf: formField(step.page, 'csrf') },
      }),
      redirectPrefix,
    );
  }
  if (!step.location)
    throw new Error(`sign-in did not return to the client (status ${step.status}): ${step.page?.slice(0, 200)}`);
  return new URL(step.location);
}

/**
 * The mobile/CLI app: code + PKCE as public client `bank-cli`; returns its opaque access token.
 * `issuer`: the authorization server as the app knows it (default: the local demo's).
 */
export async function mobileLogin(username, scope, { authorizationDetails, onConsent, issuer = ISSUER } = {}) {
  const metadata = await discover(issuer);
  const browser = new Browser();
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const auth = new URL(metadata.authorization_endpoint);
  const params = {
    client_id: 'bank-cli',
    response_type: 'code',
    redirect_uri: CLI_REDIRECT,
    scope,
    state,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  };
  if (authorizationDetails) params.authorization_details = JSON.stringify(authorizationDetails);
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  const back = await signIn(browser, await browser.request(auth.href), username, CLI_REDIRECT, onConsent);
  if (back.searchParams.get('state') !== state) throw new Error('state mismatch');
  const res = await fetch(metadata.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: CLI_REDIRECT,
      client_id: 'bank-cli',
      code_verifier: verifier,
    }),
  });
  const tokens = await res.json();
  if (!res.ok) throw new Error(`token request failed: ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}

/** A transaction token for one payment (RFC 9396 payment_approval), opaque, as the mobile app holds it. */
export function transactionToken(username, paymentId, onConsent, { issuer } = {}) {
  return mobileLogin(username, 'payments:approve', {
    authorizationDetails: [{ type: 'payment_approval', transaction_id: paymentId }],
    onConsent,
    issuer,
  });
}

/** The browser: the SPA asks the gateway's token handler to start a login; afterwards it holds only cookies. */
export async function browserLogin(username, { gateway = GATEWAY } = {}) {
  const browser = new Browser();
  const csrf = { origin: gateway, 'x-zt-csrf': '1' };
  const start = await browser.request(`${gateway}/auth/login`, { method: 'POST', headers: csrf });
  if (start.status !== 200) throw new Error(`login start failed: ${start.status} ${await start.text()}`);
  const { authorizationUrl } = await start.json();
  const back = await signIn(browser, await browser.request(authorizationUrl), username, `${gateway}/auth/callback`);
  const done = await browser.request(back.href);
  if (done.status !== 303) throw new Error(`callback failed: ${done.status} ${await done.text()}`);
  return { browser, csrf };
}
