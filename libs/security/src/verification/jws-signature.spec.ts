import { generateKeyPairSync } from 'node:crypto';
import { generateTestKey, signCompact, type TestAlgorithm } from '../testing/test-keys';
import { signatureValid } from './jws-signature';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same signature bytes with a different last character: its lowest bit is one of the unused
 * trailing bits (2048-bit RSA and 64-byte ECDSA/EdDSA signatures leave 4 of them), so it decodes
 * to exactly the same bytes and still verifies unless non-canonical base64url is refused. (A 96-byte
 * ES384 signature fills its last character: it has no such twin.)
 */
function nonCanonical(signature: string): string {
  const last = ALPHABET[ALPHABET.indexOf(signature.slice(-1)) ^ 1];
  const twin = `${signature.slice(0, -1)}${last}`;
  expect(Buffer.from(twin, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
  return twin;
}

describe('signatureValid', () => {
  const split = (token: string) => {
    const [h, p, s] = token.split('.');
    return { input: `${h}.${p}`, signature: s ?? '' };
  };

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as TestAlgorithm[])(
    'accepts a %s signature only in canonical base64url',
    (alg) => {
      const key = generateTestKey(alg);
      const { input, signature } = split(signCompact({ alg }, { sub: 'alice' }, key));
      expect(signatureValid(alg, key.publicKey, input, signature)).toBe(true);
      expect(signatureValid(alg, key.publicKey, input, nonCanonical(signature))).toBe(false);
      expect(signatureValid(alg, key.publicKey, `${input}x`, signature)).toBe(false);
    },
  );

  it('answers false, never throws, when node:crypto refuses the key for the algorithm', () => {
    const ed = generateKeyPairSync('ed25519');
    const { input, signature } = split(
      signCompact({ alg: 'EdDSA' }, { sub: 'alice' }, { kid: 'k', alg: 'EdDSA', ...ed }),
    );
    // RS256 asks for a SHA-256 digest, which OpenSSL refuses for Ed25519 ("invalid digest").
    expect(signatureValid('RS256', ed.publicKey, input, signature)).toBe(false);
  });

  describe('through the verifier', () => {
    let issuer: TestIssuer;
    beforeAll(async () => {
      issuer = await TestIssuer.start();
    });
    afterAll(() => issuer.stop());

    it('refuses a token whose signature is the accepted one re-encoded with other trailing bits (one token, one cache entry)', async () => {
      const { verifier } = await verifierAgainst(issuer);
      const token = issuer.token();
      const [h, p, s] = token.split('.');
      expect(await codeOf(verifier.verify(`${h}.${p}.${nonCanonical(s ?? '')}`))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      );
      expect(await codeOf(verifier.verify(token))).toBe('ACCEPTED');
    });
  });
});
