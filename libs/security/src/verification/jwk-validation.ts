import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../config/security-options';
import { ALGORITHMS } from './jws-signature';

/** NIST SP 800-131A / RFC 8725 minimum for RSA signatures; smaller moduli are factorable in practice. */
export const MIN_RSA_BITS = 2048;
/**
 * FIPS 186-5 §A.1.1: 2^16 < e < 2^256, odd. e = 1 makes the "signature" equal to the padded hash
 * (anyone can forge it; checked in the tests), an even e is not a valid RSA exponent at all, and
 * small exponents such as 3 are what Bleichenbacher's signature forgery (2006) exploits in lax
 * PKCS#1 v1.5 parsers. No serious authorization server publishes anything but 65537.
 */
const MIN_RSA_EXPONENT = 65537n;
const MAX_RSA_EXPONENT = 1n << 256n;

export interface VerificationKey {
  kid?: string;
  /** The JWK's own `alg`, when the AS pinned one. */
  alg?: string;
  /** Parsed once per key set, never per request (re-parsing PEM costs more than the signature check). */
  key: KeyObject;
}

export type JwkCheck = { key: VerificationKey } | { kid?: string; rejected: string };

/**
 * Turns one JWKS entry into a verification key, or says why it must never be used (cf. Wycheproof's
 * JWK tests). Reasons never contain key material: they go to the log as they are.
 * `algorithms` is the allowlist (OAUTH_ALGORITHMS): a key no allowed algorithm can use is refused
 * here, once, rather than being a candidate on every request.
 */
export function checkJwk(jwk: unknown, algorithms: readonly JwsAlgorithm[]): JwkCheck {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) return { rejected: 'not a JSON object' };
  const entry = jwk as JsonWebKey;
  const kid = typeof entry.kid === 'string' ? entry.kid : undefined;
  const reject = (reason: string): JwkCheck => ({ kid, rejected: reason });

  // Symmetric keys: with HS256 the "public" key would be the signing secret (key confusion).
  if (entry.kty === 'oct') return reject('symmetric key (kty "oct") is never a verification key');
  if (!['RSA', 'EC', 'OKP'].includes(entry.kty as string))
    return reject(`unsupported kty ${JSON.stringify(entry.kty)}`);
  if (entry.use !== undefined && entry.use !== 'sig') return reject(`use ${JSON.stringify(entry.use)} is not "sig"`);
  if (entry.key_ops !== undefined && (!Array.isArray(entry.key_ops) || !entry.key_ops.includes('verify')))
    return reject('key_ops does not allow "verify"');
  if (entry.alg !== undefined && typeof entry.alg !== 'string') return reject('alg is not a string');
  const alg = entry.alg as string | undefined;
  if (alg !== undefined && !(algorithms as readonly string[]).includes(alg))
    return reject(`alg ${JSON.stringify(alg)} is not in the allowlist (OAUTH_ALGORITHMS)`);

  // Copy only the public members, so a JWKS that wrongly publishes `d` never yields a private key.
  // Node (OpenSSL) refuses here an EC point that is not on the named curve, or not of its size.
  const { kty, n, e, crv, x, y } = entry;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty, n, e, crv, x, y } as JsonWebKey, format: 'jwk' });
  } catch (error) {
    return reject(`not a valid public key (${(error as Error).message})`);
  }

  const type = key.asymmetricKeyType ?? '';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return reject(`RSA modulus of ${bits} bits is under ${MIN_RSA_BITS}`);
    const exponent = details.publicExponent ?? 0n;
    if (exponent < MIN_RSA_EXPONENT || exponent >= MAX_RSA_EXPONENT || exponent % 2n === 0n) {
      const shown = exponent < 1n << 32n ? `e=${exponent}` : `a ${exponent.toString(2).length}-bit e`;
      return reject(`weak RSA public exponent ${shown} (must be odd, at least 65537 and under 2^256)`);
    }
  }

  const fits = (candidate: JwsAlgorithm) => {
    const rule = ALGORITHMS[candidate];
    return rule.keyTypes.includes(type) && (rule.curve === undefined || details.namedCurve === rule.curve);
  };
  const keyName = details.namedCurve ? `${type} ${details.namedCurve}` : type;
  if (alg !== undefined && !fits(alg as JwsAlgorithm)) return reject(`alg ${alg} does not fit a ${keyName} key`);
  if (alg === undefined && !algorithms.some(fits))
    return reject(`no allowed algorithm (${algorithms.join(', ')}) fits a ${keyName} key`);
  return { key: { kid, alg, key } };
}
