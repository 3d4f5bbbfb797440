import { createHash, createPrivateKey, generateKeyPairSync, JsonWebKey } from 'node:crypto';
import { ConfigValidationError } from '@zt/platform';

/** A private signing key as a JWK, as oidc-provider and jose take it. */
export interface SigningJwk extends JsonWebKey {
  kty: 'RSA' | 'EC';
  kid: string;
  alg: 'RS256' | 'ES256';
  use: 'sig';
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/** A fresh RS256 key (RSA 2048), its kid the RFC 7638 thumbprint so it never collides. */
export function generateSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kty: 'RSA', alg: 'RS256', use: 'sig', kid: thumbprint(jwk) };
}

/** What the JWKS publishes: never a private member. */
export function publicJwk(jwk: SigningJwk): SigningJwk {
  const copy: JsonWebKey = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy as SigningJwk;
}

export function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/**
 * OAUTH_SIGNING_KEYS: `{"keys":[...]}` with private RSA (RS256) or P-256 (ES256) keys. The first
 * key signs; all are published, so a new key is added at the end first and moved to the front
 * once verifiers have had time to fetch it. The value is a secret: errors never echo it.
 */
export function parseConfiguredSigningKeys(raw: string): SigningJwk[] {
  const variable = 'OAUTH_SIGNING_KEYS';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigValidationError(variable, 'must be a JSON Web Key Set ({"keys":[...]})');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new ConfigValidationError(variable, 'must be a JWKS with at least one key');
  const kids = new Set<string>();
  return keys.map((key: JsonWebKey & { kid?: string; alg?: string }, index) => {
    const bad = (problem: string) => new ConfigValidationError(variable, `key ${index}: ${problem}`);
    const alg = key.alg ?? (key.kty === 'EC' ? 'ES256' : 'RS256');
    if (!(key.kty === 'RSA' && alg === 'RS256') && !(key.kty === 'EC' && key.crv === 'P-256' && alg === 'ES256')) {
      throw bad('must be an RSA key for RS256 or a P-256 EC key for ES256');
    }
    try {
      createPrivateKey({ key, format: 'jwk' });
    } catch {
      throw bad('is not a valid private key');
    }
    const kid = key.kid ?? thumbprint(key);
    if (kids.has(kid)) throw bad('repeats a kid');
    kids.add(kid);
    return { ...key, kty: key.kty, alg, use: 'sig', kid } as SigningJwk;
  });
}
