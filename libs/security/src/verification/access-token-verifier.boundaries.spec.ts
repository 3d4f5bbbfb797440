import { resolveSecurityOptions } from '../config/security-options';
import { signCompact } from '../testing/test-keys';
import { AccessTokenVerifier } from './access-token-verifier';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

/** Exact edges of the time and size rules, with a frozen clock. */
describe('AccessTokenVerifier: boundaries', () => {
  let issuer: TestIssuer;
  let at: (clock: number) => AccessTokenVerifier;
  const T = 2_000_000_000;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const { keyStore } = await verifierAgainst(issuer);
    await keyStore.warm();
    const options = resolveSecurityOptions({ clockSkewSeconds: 10, verifiedTokenCacheSize: 0 }, issuer.env());
    at = (clock) => new AccessTokenVerifier(options, keyStore, () => clock);
  });
  afterAll(() => issuer.stop());

  const signed = (claims: Record<string, unknown>) => {
    const key = issuer.currentKey();
    return signCompact(
      { alg: 'RS256', typ: 'at+jwt', kid: key.kid },
      { ...issuer.claims(), iat: undefined, ...claims },
      key,
    );
  };

  it('exp: valid strictly before exp + skew', async () => {
    const token = signed({ exp: T });
    expect(await codeOf(at(T + 9.99).verify(token))).toBe('ACCEPTED');
    expect(await codeOf(at(T + 10).verify(token))).toBe('ERR_JWT_EXPIRED');
  });

  it('nbf and iat: valid from value - skew on', async () => {
    expect(await codeOf(at(T - 10).verify(signed({ exp: T + 100, nbf: T })))).toBe('ACCEPTED');
    expect(await codeOf(at(T - 10.01).verify(signed({ exp: T + 100, nbf: T })))).toBe('ERR_JWT_NOT_YET_VALID');
    expect(await codeOf(at(T - 10).verify(signed({ exp: T + 100, iat: T })))).toBe('ACCEPTED');
    expect(await codeOf(at(T - 10.01).verify(signed({ exp: T + 100, iat: T })))).toBe('ERR_JWT_ISSUED_IN_FUTURE');
  });

  it('token length: up to maxAuthorizationHeaderBytes', async () => {
    const base = signed({ exp: T + 100 });
    const options = resolveSecurityOptions({ maxAuthorizationHeaderBytes: base.length }, issuer.env());
    const { keyStore } = await verifierAgainst(issuer);
    const exact = new AccessTokenVerifier(options, keyStore, () => T);
    expect(await codeOf(exact.verify(base))).toBe('ACCEPTED');
    const tight = new AccessTokenVerifier(
      { ...options, maxAuthorizationHeaderBytes: base.length - 1 },
      keyStore,
      () => T,
    );
    expect(await codeOf(tight.verify(base))).toBe('ERR_TOKEN_MALFORMED');
    expect(await codeOf(tight.verify(undefined as unknown as string))).toBe('ERR_TOKEN_MALFORMED');
  });

  it('scope splits on spaces and drops empty entries', async () => {
    const principal = await at(T).verify(signed({ exp: T + 100, scope: '  a  b ' }));
    expect(principal.scopes).toEqual(['a', 'b']);
    expect(Object.isFrozen(principal.scopes)).toBe(true);
    expect((await at(T).verify(signed({ exp: T + 100, scope: '' }))).scopes).toEqual([]);
  });

  it('PS and ES signatures need the matching parameters (PSS padding, P1363 encoding)', async () => {
    const ps = await TestIssuer.start({ algorithms: ['PS256', 'ES384'] });
    try {
      const { verifier } = await verifierAgainst(ps, {}, { OAUTH_ALGORITHMS: 'PS256,ES384' });
      expect(await codeOf(verifier.verify(ps.token({}, { alg: 'PS256' })))).toBe('ACCEPTED');
      expect(await codeOf(verifier.verify(ps.token({}, { alg: 'ES384' })))).toBe('ACCEPTED');
      const rsaSignedPkcs1 = signCompact(
        { alg: 'PS256', typ: 'at+jwt', kid: ps.currentKey('PS256').kid },
        ps.claims(),
        ps.currentKey('PS256'),
        'RS256',
      );
      expect(await codeOf(verifier.verify(rsaSignedPkcs1))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    } finally {
      await ps.stop();
    }
  });
});
