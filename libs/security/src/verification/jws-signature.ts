import { constants, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../config/security-options';

/** Each algorithm is bound to exactly one key type (RFC 8725 §3.1): no RSA key for ES256, no HMAC at all. */
export const ALGORITHMS: Record<
  JwsAlgorithm,
  { hash: string | null; keyTypes: string[]; curve?: string; pss?: boolean }
> = {
  RS256: { hash: 'sha256', keyTypes: ['rsa'] },
  RS384: { hash: 'sha384', keyTypes: ['rsa'] },
  RS512: { hash: 'sha512', keyTypes: ['rsa'] },
  PS256: { hash: 'sha256', keyTypes: ['rsa', 'rsa-pss'], pss: true },
  PS384: { hash: 'sha384', keyTypes: ['rsa', 'rsa-pss'], pss: true },
  PS512: { hash: 'sha512', keyTypes: ['rsa', 'rsa-pss'], pss: true },
  ES256: { hash: 'sha256', keyTypes: ['ec'], curve: 'prime256v1' },
  ES384: { hash: 'sha384', keyTypes: ['ec'], curve: 'secp384r1' },
  ES512: { hash: 'sha512', keyTypes: ['ec'], curve: 'secp521r1' },
  EdDSA: { hash: null, keyTypes: ['ed25519', 'ed448'] },
};

/** Signature check with node:crypto and a pre-parsed KeyObject (no PEM parsing per call). */
export function signatureValid(alg: JwsAlgorithm, key: KeyObject, signingInput: string, signature: string): boolean {
  const rule = ALGORITHMS[alg];
  const params = rule.pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : rule.curve
      ? { key, dsaEncoding: 'ieee-p1363' as const }
      : key;
  const bytes = Buffer.from(signature, 'base64url');
  // Canonical base64url only: otherwise several strings (differing in unused trailing bits) would be
  // the "same" valid token, which breaks the one-token-one-cache-entry assumption.
  if (bytes.toString('base64url') !== signature) return false;
  try {
    return verifySignature(rule.hash, Buffer.from(signingInput), params, bytes);
  } catch {
    return false;
  }
}
