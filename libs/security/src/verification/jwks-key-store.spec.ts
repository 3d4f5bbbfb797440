import { resolveSecurityOptions } from '../config/security-options';
import { AccessTokenVerifier } from './access-token-verifier';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

describe('JwksKeyStore through the verifier: caching, rotation, outage', () => {
  let issuer: TestIssuer;
  beforeEach(async () => (issuer = await TestIssuer.start()));
  afterEach(() => issuer.stop());

  it('fetches the JWKS once for many verifications of known kids', async () => {
    const { verifier, keyStore } = await verifierAgainst(issuer);
    await keyStore.warm();
    for (let i = 0; i < 5; i++) await verifier.verify(issuer.token());
    expect(issuer.jwksFetchCount).toBe(1);
  });

  it('bounds JWKS fetches when attackers spray unknown kids (one refetch per interval)', async () => {
    const { verifier, keyStore } = await verifierAgainst(issuer, { jwksMinRefreshIntervalMs: 300 });
    await keyStore.warm();
    await codeOf(verifier.verify(issuer.token({}, { header: { kid: 'too-soon-after-warm-up' } })));
    expect(issuer.jwksFetchCount).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    const codes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        codeOf(verifier.verify(issuer.token({}, { header: { kid: `unknown-${i}` } }))),
      ),
    );
    expect(new Set(codes)).toEqual(new Set(['ERR_JWKS_NO_MATCHING_KEY']));
    expect(issuer.jwksFetchCount).toBe(2);
    await codeOf(verifier.verify(issuer.token({}, { header: { kid: 'unknown-again' } })));
    expect(issuer.jwksFetchCount).toBe(2);
  });

  it('accepts a rotated key without restart and rejects a retired one', async () => {
    const { verifier, keyStore } = await verifierAgainst(issuer, { jwksMinRefreshIntervalMs: 0 });
    await keyStore.warm();
    const old = issuer.currentKey();
    const oldToken = issuer.token();
    const otherOldToken = issuer.token({ sub: 'user-bob' });
    expect(await codeOf(verifier.verify(oldToken))).toBe('ACCEPTED');
    expect(await codeOf(verifier.verify(otherOldToken))).toBe('ACCEPTED');
    issuer.rotate('RS256');
    expect(await codeOf(verifier.verify(issuer.token()))).toBe('ACCEPTED');
    issuer.retire(old.kid);
    // Another unknown kid triggers the refetch that drops the retired key and empties the token cache.
    await codeOf(verifier.verify(issuer.token({}, { header: { kid: 'trigger-refresh' } })));
    expect(await codeOf(verifier.verify(oldToken))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    // Every token cached under the old key set is gone, not only the first one looked up.
    expect(await codeOf(verifier.verify(otherOldToken))).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });

  it('re-checks expiry on every cache hit', async () => {
    const { keyStore } = await verifierAgainst(issuer);
    await keyStore.warm();
    let clock = Date.now() / 1000;
    const options = resolveSecurityOptions({}, issuer.env());
    const verifier = new AccessTokenVerifier(options, keyStore, () => clock);
    const token = issuer.token({}, { expiresInSeconds: 60 });
    expect(await codeOf(verifier.verify(token))).toBe('ACCEPTED');
    clock += 60 + 29;
    expect(verifier.verifyCached(token)?.sub).toBe('user-alice');
    clock += 2;
    expect(await codeOf(Promise.resolve().then(() => verifier.verifyCached(token)))).toBe('ERR_JWT_EXPIRED');
    expect(verifier.verifyCached(token)).toBeUndefined();
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWT_EXPIRED');
  });

  it('keeps verifying with cached keys while the JWKS is down, and fails closed for unknown kids', async () => {
    const { verifier, keyStore } = await verifierAgainst(issuer, { jwksMinRefreshIntervalMs: 0, jwksMaxAgeMs: 0 });
    await keyStore.warm();
    issuer.available = false;
    expect(await codeOf(verifier.verify(issuer.token()))).toBe('ACCEPTED');
    expect(await codeOf(verifier.verify(issuer.token({}, { header: { kid: 'new-kid' } })))).toBe(
      'ERR_JWKS_UNAVAILABLE',
    );
    expect(await codeOf(verifier.verify(issuer.token()))).toBe('ACCEPTED');
  });

  it('starts without the AS (warm-up reports failure, never throws) and recovers when it is back', async () => {
    issuer.available = false;
    const { verifier, keyStore } = await verifierAgainst(issuer, { jwksMinRefreshIntervalMs: 0 });
    expect(await keyStore.warm()).toBe(false);
    expect(await codeOf(verifier.verify(issuer.token()))).toBe('ERR_JWKS_UNAVAILABLE');
    issuer.available = true;
    expect(await codeOf(verifier.verify(issuer.token()))).toBe('ACCEPTED');
  });

  it('after a failed fetch, retries soon (the service started before its AS) but never floods it', async () => {
    issuer.available = false;
    const { verifier, keyStore } = await verifierAgainst(issuer, {
      jwksMinRefreshIntervalMs: 60_000,
      jwksRetryAfterFailureMs: 200,
    });
    expect(await keyStore.warm()).toBe(false);
    issuer.available = true;
    // Within the short gap: no new fetch, still unavailable, however many unknown-key requests come.
    const early = await Promise.all(Array.from({ length: 20 }, () => codeOf(verifier.verify(issuer.token()))));
    expect(new Set(early)).toEqual(new Set(['ERR_JWKS_UNAVAILABLE']));
    expect(issuer.jwksFetchCount).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    // Well before the 60 s interval: the keys are fetched once and tokens verify.
    const later = await Promise.all(Array.from({ length: 20 }, () => codeOf(verifier.verify(issuer.token()))));
    expect(new Set(later)).toEqual(new Set(['ACCEPTED']));
    expect(issuer.jwksFetchCount).toBe(2);
  });

  it('refreshes stale keys in the background once they pass their max age', async () => {
    const { verifier, keyStore } = await verifierAgainst(issuer, { jwksMinRefreshIntervalMs: 0, jwksMaxAgeMs: 20 });
    await keyStore.warm();
    await verifier.verify(issuer.token());
    expect(issuer.jwksFetchCount).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    await verifier.verify(issuer.token());
    await new Promise((r) => setTimeout(r, 30));
    expect(issuer.jwksFetchCount).toBe(2);
  });

  it('uses a kid-less token only when the JWKS holds exactly one key', async () => {
    const single = await TestIssuer.start({ algorithms: ['ES256'] });
    try {
      const { verifier } = await verifierAgainst(single);
      expect(await codeOf(verifier.verify(single.token({}, { alg: 'ES256', header: { kid: undefined } })))).toBe(
        'ACCEPTED',
      );
    } finally {
      await single.stop();
    }
    const { verifier } = await verifierAgainst(issuer);
    expect(await codeOf(verifier.verify(issuer.token({}, { header: { kid: undefined } })))).toBe(
      'ERR_JWKS_NO_MATCHING_KEY',
    );
  });
});
