// Tools of an attacker, for the attack cases: self-made keys and JWTs, and a listener that
// records whether anyone fetched a URL planted in a token (it must never be contacted).
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { ISSUER } from '../../scripts/lib/topology.mjs';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function attackerKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'attacker', alg: 'RS256', use: 'sig' } };
}

export function claims(overrides = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    sub: 'usr_alice',
    aud: ['accounts-api', 'payments-api', 'users-api'],
    client_id: 'bank-cli',
    scope: 'accounts:read payments:read payments:write users:read',
    jti: `forged-${now}-${Math.random()}`,
    iat: now,
    exp: now + 300,
    region: 'eu',
    ...overrides,
  };
}

/** A JWT signed with the attacker's own key; `header` adds e.g. `jku`, `x5u` or `jwk`. */
export function forgedJwt(key, header = {}, payload = claims()) {
  const input = `${b64({ alg: 'RS256', typ: 'at+jwt', kid: key.jwk.kid, ...header })}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export function unsignedJwt(alg = 'none', payload = claims()) {
  return `${b64({ alg, typ: 'at+jwt' })}.${b64(payload)}.`;
}

/**
 * An HTTP listener on 127.0.0.1 that counts every request and answers `body`: as JSON, or sent as
 * is when a `contentType` is given (e.g. a forged `application/jwt` introspection answer).
 */
export async function spyServer(body, { contentType } = {}) {
  const spy = { hits: 0, url: '' };
  const server = createServer((req, res) => {
    spy.hits += 1;
    res.setHeader('content-type', contentType ?? 'application/json');
    res.end(contentType ? String(body) : JSON.stringify(body));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  spy.url = `http://127.0.0.1:${server.address().port}`;
  spy.close = () => new Promise((r) => server.close(() => r()));
  return spy;
}
