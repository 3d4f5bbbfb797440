import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { resolveSecurityOptions, type JwsAlgorithm } from '../config/security-options';
import { signCompact, type TestKey } from '../testing/test-keys';
import { AccessTokenVerifier } from './access-token-verifier';
import type { VerificationKey } from './jwk-validation';
import { codeOf } from '../testing/verifier-test-setup';

type Pair = { privateKey: KeyObject; publicKey: KeyObject };

/**
 * The verifier's own key/algorithm binding (RFC 8725 §3.1), tested with a key source that hands over
 * any key: JwksKeyStore already filters weak keys and wrong curves out of the JWKS, so without this
 * spec the verifier's second line of defence could be deleted unseen. Each case signs a token that
 * verifies cryptographically, so only the binding rule stands between it and acceptance.
 */
describe('AccessTokenVerifier: a key is used only with the algorithm it is made for', () => {
  const issuer = 'https://as.bank.test';
  const audience = 'https://api.bank.test';
  const algorithms: JwsAlgorithm[] = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  const options = resolveSecurityOptions(
    { algorithms, verifiedTokenCacheSize: 0 },
    {
      OAUTH_ISSUER: issuer,
      OAUTH_JWKS_URI: `${issuer}/jwks`,
      OAUTH_AUDIENCE: audience,
    },
  );
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: audience, sub: 'user-alice', exp: now + 300 };

  /** Verifies a token signed by `pair` with `alg`, the key source returning the public key with `jwkAlg`. */
  async function outcome(pair: Pair, alg: string, jwkAlg?: string): Promise<string> {
    const key: VerificationKey = { kid: 'k1', alg: jwkAlg, key: pair.publicKey };
    const verifier = new AccessTokenVerifier(options, { version: 0, get: () => ({ status: 'found', key }) });
    const signer = { kid: 'k1', alg: 'RS256', ...pair } as TestKey;
    return codeOf(verifier.verify(signCompact({ alg, typ: 'at+jwt', kid: 'k1' }, claims, signer, alg)));
  }

  let rsa2048: Pair, rsa1024: Pair, p256: Pair, p384: Pair, ed25519: Pair;
  beforeAll(() => {
    rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
    p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    ed25519 = generateKeyPairSync('ed25519');
  });

  it('accepts a JWK without `alg` (optional in RFC 7517 §4.4) when its key type fits the header alg', async () => {
    expect(await outcome(rsa2048, 'RS256')).toBe('ACCEPTED');
    expect(await outcome(rsa2048, 'PS256')).toBe('ACCEPTED');
    expect(await outcome(p256, 'ES256')).toBe('ACCEPTED');
    expect(await outcome(p384, 'ES384')).toBe('ACCEPTED');
    expect(await outcome(ed25519, 'EdDSA')).toBe('ACCEPTED');
  });

  it('accepts a JWK whose pinned `alg` is the header alg, and refuses any other', async () => {
    expect(await outcome(rsa2048, 'RS256', 'RS256')).toBe('ACCEPTED');
    expect(await outcome(rsa2048, 'PS256', 'RS256')).toBe('ERR_JWK_ALG_MISMATCH');
    expect(await outcome(p256, 'ES256', 'ES384')).toBe('ERR_JWK_ALG_MISMATCH');
  });

  it('refuses an EC key on another curve than the algorithm names (ES256 is P-256 only)', async () => {
    expect(await outcome(p384, 'ES256')).toBe('ERR_JWK_ALG_MISMATCH');
    expect(await outcome(p384, 'ES256', 'ES256')).toBe('ERR_JWK_ALG_MISMATCH');
    expect(await outcome(p256, 'ES384')).toBe('ERR_JWK_ALG_MISMATCH');
  });

  it('refuses an RSA key below 2048 bits, for RS and PS alike', async () => {
    expect(await outcome(rsa1024, 'RS256')).toBe('ERR_JWK_ALG_MISMATCH');
    expect(await outcome(rsa1024, 'RS256', 'RS256')).toBe('ERR_JWK_ALG_MISMATCH');
    expect(await outcome(rsa1024, 'PS256')).toBe('ERR_JWK_ALG_MISMATCH');
  });
});
