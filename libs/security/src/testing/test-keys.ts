import { createHmac, generateKeyPairSync, randomUUID, sign, constants, type KeyObject } from 'node:crypto';

export type TestAlgorithm = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA';

export interface TestKey {
  kid: string;
  alg: TestAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Fresh key pairs for tests: RSA 2048 (RS256/PS256), EC P-256/P-384, Ed25519. */
export function generateTestKey(
  alg: TestAlgorithm = 'RS256',
  kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`,
): TestKey {
  const pair =
    alg === 'RS256' || alg === 'PS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' });
  return { kid, alg, ...pair };
}

/** The public JWK as an AS would publish it. */
export function publicJwk(key: TestKey): Record<string, unknown> {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
}

export const b64url = (value: string | Buffer | object): string =>
  Buffer.from(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value)).toString(
    'base64url',
  );

/** Signs `header.payload` exactly as given: tests can build any header, including hostile ones. */
export function signCompact(header: object, payload: object | string, key: TestKey, alg: string = key.alg): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
  const params = alg.startsWith('PS')
    ? { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : alg.startsWith('ES')
      ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' as const }
      : key.privateKey;
  return `${input}.${sign(hash, Buffer.from(input), params).toString('base64url')}`;
}

/** The classic key-confusion forgery: HMAC keyed with the verifier's PUBLIC key bytes. */
export function signHmac(header: object, payload: object, secret: string | Buffer, alg = 'HS256'): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac(`sha${alg.slice(2)}`, secret)
    .update(input)
    .digest('base64url')}`;
}
