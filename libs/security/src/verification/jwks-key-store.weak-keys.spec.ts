import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { resolveSecurityOptions } from '../config/security-options';
import { SpyServer } from '../testing/spy-server';
import { b64url, generateTestKey, publicJwk, signCompact, type TestKey } from '../testing/test-keys';
import { createAccessTokenVerifier } from './create-verifier';
import { codeOf } from '../testing/verifier-test-setup';

const ISSUER = 'https://as.bank.test';
const AUDIENCE = 'https://api.bank.test';

/**
 * Issue 12, item 5b (cf. Wycheproof's JWK tests): each weak or unusable key is ignored and logged
 * when the JWKS is loaded, while a good key of the SAME set keeps verifying. Wherever a key pair
 * exists, the token claiming the bad kid is really signed by it (or, for e = 1, forged without any
 * private key), so with the check removed that token would be accepted.
 */
describe('JwksKeyStore: weak and unusable keys are ignored, the good keys keep working', () => {
  let spy: SpyServer;
  let body = '';
  const good = generateTestKey('RS256', 'good');

  beforeAll(
    async () =>
      (spy = await SpyServer.start((_u, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body))),
  );
  afterAll(() => spy.stop());

  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'user-alice',
      scope: 'accounts:read',
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
    };
  };
  const header = (kid: string, alg = 'RS256') => ({ alg, typ: 'at+jwt', kid });
  const rsaPair = (
    modulusLength: number,
    publicExponent = 65537,
    kid = `rsa-${modulusLength}-${publicExponent}`,
  ): TestKey => ({
    kid,
    alg: 'RS256',
    ...generateKeyPairSync('rsa', { modulusLength, publicExponent }),
  });
  const pinned = (key: TestKey, extra: Record<string, unknown> = {}) => ({ ...publicJwk(key), ...extra });
  /** An RSA public key with the same modulus as `key` but another exponent (no matching private key exists). */
  const withExponent = (key: TestKey, e: bigint, kid: string) => ({
    ...publicJwk(key),
    kid,
    e: b64url(bigintBytes(e)),
  });

  /** e = 1: the RSA "signature" is the PKCS#1 v1.5-encoded hash itself; anyone can compute it. */
  const forgedWithExponentOne = (modulus: KeyObject, kid: string) => {
    const input = `${b64url(header(kid))}.${b64url(claims())}`;
    const digestInfo = Buffer.concat([
      Buffer.from('3031300d060960864801650304020105000420', 'hex'),
      createHash('sha256').update(input).digest(),
    ]);
    const size = (modulus.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
    const encoded = Buffer.concat([
      Buffer.from([0, 1]),
      Buffer.alloc(size - digestInfo.length - 3, 0xff),
      Buffer.from([0]),
      digestInfo,
    ]);
    return `${input}.${encoded.toString('base64url')}`;
  };

  const rsa2048 = rsaPair(2048, 65537, 'rsa-e1');
  const smallE = rsaPair(2048, 3, 'rsa-e3');
  const rsa1024 = rsaPair(1024);
  const encKey = rsaPair(2048, 65537, 'enc');
  const p384 = generateTestKey('ES384', 'p384');
  const p256 = generateTestKey('ES256', 'p256');
  const offCurve = (() => {
    const jwk = { ...publicJwk(p256), kid: 'off-curve' } as Record<string, string>;
    const y = Buffer.from(jwk.y ?? '', 'base64url'); // an EC public JWK always has y
    y.writeUInt8(y.readUInt8(y.length - 1) ^ 1, y.length - 1);
    return { ...jwk, y: y.toString('base64url') };
  })();

  it.each<[string, () => { jwk: Record<string, unknown>; token: string }, RegExp]>([
    [
      'RSA public exponent 1',
      () => ({ jwk: withExponent(rsa2048, 1n, 'rsa-e1'), token: forgedWithExponentOne(rsa2048.publicKey, 'rsa-e1') }),
      /weak RSA public exponent e=1\b/,
    ],
    [
      'RSA public exponent 3 (under 65537)',
      () => ({ jwk: pinned(smallE), token: signCompact(header('rsa-e3'), claims(), smallE) }),
      /weak RSA public exponent e=3\b/,
    ],
    [
      'an even RSA public exponent',
      () => ({
        jwk: withExponent(rsa2048, 65538n, 'rsa-even'),
        token: signCompact(header('rsa-even'), claims(), rsa2048),
      }),
      /weak RSA public exponent e=65538\b/,
    ],
    [
      'an RSA public exponent of 2^256 or more',
      () => ({
        jwk: withExponent(rsa2048, (1n << 256n) + 1n, 'rsa-huge'),
        token: signCompact(header('rsa-huge'), claims(), rsa2048),
      }),
      /weak RSA public exponent a 257-bit e/,
    ],
    [
      'an RSA modulus under 2048 bits',
      () => ({ jwk: pinned(rsa1024), token: signCompact(header(rsa1024.kid), claims(), rsa1024) }),
      /RSA modulus of 1024 bits is under 2048/,
    ],
    [
      'an EC point not on the curve',
      () => ({ jwk: offCurve, token: signCompact(header('off-curve', 'ES256'), claims(), p256) }),
      /not a valid public key/,
    ],
    [
      'use: "enc"',
      () => ({ jwk: pinned(encKey, { use: 'enc' }), token: signCompact(header('enc'), claims(), encKey) }),
      /use "enc" is not "sig"/,
    ],
    [
      'a symmetric key (kty "oct")',
      () => ({
        jwk: { kty: 'oct', kid: 'hmac', k: b64url('shared-secret-shared-secret-1234'), alg: 'RS256' },
        token: signCompact(header('hmac'), claims(), good),
      }),
      /symmetric key/,
    ],
    [
      'an alg outside the allowlist (PS256)',
      () => ({
        jwk: pinned(rsa2048, { kid: 'ps', alg: 'PS256' }),
        token: signCompact(header('ps'), claims(), rsa2048),
      }),
      /alg "PS256" is not in the allowlist/,
    ],
    [
      'an alg that does not fit the key type (ES256 on RSA)',
      () => ({
        jwk: pinned(rsa2048, { kid: 'rsa-as-ec', alg: 'ES256' }),
        token: signCompact(header('rsa-as-ec'), claims(), rsa2048),
      }),
      /alg ES256 does not fit a rsa key/,
    ],
    [
      'a key no allowed algorithm fits (P-384 without alg)',
      () => ({
        jwk: { ...publicJwk(p384), alg: undefined },
        token: signCompact(header('p384', 'ES256'), claims(), p384, 'ES384'),
      }),
      /no allowed algorithm \(RS256, ES256\) fits a ec secp384r1 key/,
    ],
  ])(
    '%s: ignored and logged; a token claiming it is refused, the good key still verifies',
    async (_name, make, reason) => {
      const { jwk, token } = make();
      body = JSON.stringify({ keys: [jwk, publicJwk(good)] });
      const warnings: string[] = [];
      const options = resolveSecurityOptions(
        { issuer: ISSUER, jwksUri: `${spy.url}/jwks`, audiences: [AUDIENCE], jwksMinRefreshIntervalMs: 0 },
        { NODE_ENV: 'test' },
      );
      const { verifier, keyStore } = createAccessTokenVerifier(options, { warn: (m) => warnings.push(m) });
      expect(await keyStore.warm()).toBe(true);

      expect(await codeOf(verifier.verify(signCompact(header('good'), claims(), good)))).toBe('ACCEPTED');
      expect(await codeOf(verifier.verify(token))).toBe('ERR_JWKS_NO_MATCHING_KEY');

      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^JWKS key "${String(jwk.kid)}" ignored: `));
      expect(warnings[0]).toMatch(reason);
      for (const member of ['n', 'x', 'y', 'k'] as const) {
        if (typeof jwk[member] === 'string') expect(warnings[0]).not.toContain(jwk[member]);
      }
    },
  );
});

function bigintBytes(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}
