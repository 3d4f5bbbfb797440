import { ErrorCode } from '../errors/security-errors';
import { generateTestKey, publicJwk } from '../testing/test-keys';
import { TestIssuer } from '../testing/test-issuer';
import { createAccessTokenVerifier, type LocalVerifierOptions } from './create-verifier';
import { codeOf } from '../testing/verifier-test-setup';

/** An issuer verifying its own tokens: keys read in process, the verifier's rules unchanged. */
describe('createAccessTokenVerifier with a local key set (no HTTP)', () => {
  let issuer: TestIssuer;
  let jwks: Record<string, unknown>[];
  let warnings: string[];

  beforeAll(async () => (issuer = await TestIssuer.start()));
  afterAll(() => issuer.stop());
  beforeEach(() => {
    jwks = issuer.published.map(publicJwk);
    warnings = [];
  });

  const build = (overrides: Partial<LocalVerifierOptions> = {}) =>
    createAccessTokenVerifier(
      {
        issuer: issuer.issuer,
        audiences: [issuer.audience],
        algorithms: ['RS256', 'ES256'],
        clockSkewSeconds: 0,
        requireAtJwtTyp: true,
        maxAuthorizationHeaderBytes: 8192,
        verifiedTokenCacheSize: 100,
        localJwks: () => jwks,
        ...overrides,
      },
      { warn: (m) => warnings.push(m) },
    );

  it('verifies tokens signed by the local keys without ever fetching the JWKS', async () => {
    const { verifier } = build();
    expect((await verifier.verify(issuer.token({ sub: 'usr_a' }))).sub).toBe('usr_a');
    expect((await verifier.verify(issuer.token({}, { alg: 'ES256' }))).sub).toBe('user-alice');
    expect(issuer.jwksFetchCount).toBe(0);
  });

  it('applies the same rules as with a fetched JWKS', async () => {
    const { verifier } = build({ clockSkewSeconds: 0 });
    expect(await codeOf(verifier.verify(issuer.token({ iss: 'https://other.example' })))).toBe(
      ErrorCode.ISSUER_INVALID,
    );
    expect(await codeOf(verifier.verify(issuer.token({ aud: 'another-api' })))).toBe(ErrorCode.AUDIENCE_INVALID);
    expect(await codeOf(verifier.verify(issuer.token({ exp: Math.floor(Date.now() / 1000) - 2 })))).toBe(
      ErrorCode.EXPIRED,
    );
    expect(await codeOf(verifier.verify(issuer.token({}, { header: { typ: 'JWT' } })))).toBe(ErrorCode.TYP_INVALID);
    expect(await codeOf(verifier.verify(issuer.token({}, { key: issuer.currentKey('RS256'), alg: 'PS256' })))).toBe(
      ErrorCode.ALG_NOT_ALLOWED,
    );
    expect(
      await codeOf(verifier.verify(issuer.token({}, { key: generateTestKey('RS256', issuer.currentKey().kid) }))),
    ).toBe(ErrorCode.SIGNATURE_INVALID);
    expect(await codeOf(verifier.verify(issuer.token({}, { key: generateTestKey('RS256') })))).toBe(
      ErrorCode.KEY_NOT_FOUND,
    );
  });

  it('checks every local key like a fetched one: a key outside the allowlist is ignored, once logged, the others keep working', async () => {
    const ps = generateTestKey('PS256');
    jwks = [...jwks, publicJwk(ps), { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }];
    const { verifier } = build();
    expect(await codeOf(verifier.verify(issuer.token({}, { key: ps, alg: 'RS256' })))).toBe(ErrorCode.KEY_NOT_FOUND);
    expect(await codeOf(verifier.verify(issuer.token()))).toBe('ACCEPTED');
    expect(warnings).toEqual([
      `local key ${JSON.stringify(ps.kid)} ignored: alg "PS256" is not in the allowlist (OAUTH_ALGORITHMS)`,
      'local key "hmac" ignored: symmetric key (kty "oct") is never a verification key',
    ]);
    jwks = [...jwks];
    await verifier.verify(issuer.token());
    expect(warnings).toHaveLength(2);
  });

  it('picks a key without kid only when the set holds exactly one', async () => {
    const key = issuer.currentKey('RS256');
    const token = issuer.token({}, { header: { kid: undefined } });
    jwks = [publicJwk(key)];
    expect(await codeOf(build().verifier.verify(token))).toBe('ACCEPTED');
    jwks = issuer.published.map(publicJwk);
    expect(await codeOf(build().verifier.verify(token))).toBe(ErrorCode.KEY_NOT_FOUND);
  });

  it('follows a rotation: a new key array is reloaded, and a cached token whose key left the set is refused', async () => {
    const { verifier, keyStore } = build();
    const token = issuer.token();
    await verifier.verify(token);
    const version = keyStore.version;
    expect(keyStore.version).toBe(version);

    const next = generateTestKey('RS256');
    jwks = [publicJwk(next)];
    expect(keyStore.version).toBe(version + 1);
    expect(await codeOf(verifier.verify(issuer.token({}, { key: next })))).toBe('ACCEPTED');
    expect(await codeOf(verifier.verify(token))).toBe(ErrorCode.KEY_NOT_FOUND);
  });

  it('refuses a cached token at once when its key is removed, before any other lookup', async () => {
    const { verifier } = build();
    const token = issuer.token();
    await verifier.verify(token);
    expect(verifier.verifyCached(token)).toBeDefined();
    jwks = [];
    expect(verifier.verifyCached(token)).toBeUndefined();
  });
});
