// Credentials from the real authorization server, through its own test helpers: opaque tokens
// (development grant, as `npm run token`), the RS256 JWT the gateway forwards for one of them
// (introspection as the `gateway` client), the AS's public key as PEM for HAProxy, and a browser
// session cookie encrypted with the gateway's cookie cipher and its development key.
import { createRequire } from 'node:module';
import { createPublicKey } from 'node:crypto';

const require = createRequire(import.meta.url);
require('../../lib/ts-hook.cjs');
const { devToken, introspect } = require('../../../apps/authorization-server/src/testing/oauth-clients.ts');
const { CookieCipher } = require('../../../apps/gateway/src/token-handler/cookie-cipher.ts');
const { COOKIES } = require('../../../apps/gateway/src/token-handler/session-cookies.ts');
const { loadGatewayConfig } = require('../../../apps/gateway/src/config/gateway-config.ts');

export const USER = 'alice';
export const SCOPE = 'users:read';

/** n distinct opaque tokens, `concurrency` requests to the AS at a time; also how long it took. */
export async function mintTokens(issuer, n, concurrency = 8) {
  const tokens = new Array(n);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) {
        const i = next++;
        tokens[i] = await devToken(issuer, USER, SCOPE);
      }
    }),
  );
  return { tokens, seconds: (performance.now() - started) / 1000 };
}

/** The RS256 access-token JWT the AS hands the gateway for this opaque token. */
export async function phantomJwt(issuer, token) {
  const res = await introspect(issuer, token, { jwt: true });
  if (res.status !== 200 || !res.type.startsWith('application/jwt'))
    throw new Error(`introspection gave no JWT: ${res.status} ${res.text}`);
  return res.text.trim();
}

export function decodeJwt(jwt) {
  const [header, payload] = jwt
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

/** The JWKS key that signed `jwt`, as SPKI PEM (what HAProxy's jwt_verify reads). */
export async function publicKeyPem(issuer, jwt) {
  const { kid } = decodeJwt(jwt).header;
  const { keys } = await (await fetch(`${issuer}/jwks`)).json();
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`no key ${kid} in ${issuer}/jwks`);
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
}

/** `Cookie` header of a browser session holding this opaque token, as the token handler sets it. */
export function sessionCookie(token) {
  // The key the gateway itself uses in development (GATEWAY_COOKIE_KEY unset).
  const { cookieKey } = loadGatewayConfig({ NODE_ENV: 'development' }).bff;
  return `${COOKIES.access}=${new CookieCipher(cookieKey).encrypt(COOKIES.access, token)}`;
}

/** The gateway's counters, read from /metrics as a scraper on 127.0.0.1 would. */
export async function gatewayMetrics(port) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const value = (line) => {
    const found = text.split('\n').find((l) => l.startsWith(line));
    return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : 0;
  };
  return {
    hits: value('gateway_introspection_cache_total{result="hit"}'),
    misses: value('gateway_introspection_cache_total{result="miss"}'),
    introspections: value('gateway_introspection_duration_seconds_count{outcome="active"}'),
  };
}
