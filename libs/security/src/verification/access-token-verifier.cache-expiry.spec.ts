import { resolveSecurityOptions } from '../config/security-options';
import { signCompact } from '../testing/test-keys';
import { AccessTokenVerifier } from './access-token-verifier';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

/** A cached token expires at exactly the same instant as a fresh one (exp + skew), and is then evicted. */
describe('AccessTokenVerifier: expiry on the cached path', () => {
  let issuer: TestIssuer;
  let verifier: AccessTokenVerifier;
  let clock: number;
  const T = 2_000_000_000;
  const SKEW = 10;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const { keyStore } = await verifierAgainst(issuer);
    await keyStore.warm();
    const options = resolveSecurityOptions({ clockSkewSeconds: SKEW, verifiedTokenCacheSize: 10 }, issuer.env());
    verifier = new AccessTokenVerifier(options, keyStore, () => clock);
  });
  afterAll(() => issuer.stop());

  const tokenExpiringAt = (exp: number) => {
    const key = issuer.currentKey();
    return signCompact({ alg: 'RS256', typ: 'at+jwt', kid: key.kid }, { ...issuer.claims(), iat: undefined, exp }, key);
  };

  it('serves the cached principal strictly before exp + skew, and refuses it from exp + skew on', async () => {
    const token = tokenExpiringAt(T);
    clock = T - 100;
    const principal = await verifier.verify(token);
    expect(verifier.verifyCached(token)).toBe(principal);

    clock = T + SKEW - 0.01;
    expect(verifier.verifyCached(token)).toBe(principal);
    expect(await verifier.verify(token)).toBe(principal);

    clock = T + SKEW;
    expect(await codeOf(Promise.resolve().then(() => verifier.verifyCached(token)))).toBe('ERR_JWT_EXPIRED');
  });

  it('evicts an expired token, so it is verified afresh rather than served again if the clock steps back', async () => {
    const token = tokenExpiringAt(T + 50);
    clock = T;
    await verifier.verify(token);
    clock = T + 50 + SKEW;
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWT_EXPIRED');
    clock = T;
    expect(verifier.verifyCached(token)).toBeUndefined();
    expect(await codeOf(verifier.verify(token))).toBe('ACCEPTED');
  });
});
