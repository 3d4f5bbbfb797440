import { InvalidTokenError, ErrorCode } from '../errors/security-errors';
import { TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';
import { refusalCode, type JwksFetchOutcome } from './verification-observer';

describe('VerificationObserver seam', () => {
  let issuer: TestIssuer;
  beforeEach(async () => (issuer = await TestIssuer.start()));
  afterEach(() => issuer.stop());

  it('tells the key store observer of each JWKS fetch: success, then failure when the issuer is down', async () => {
    const { keyStore } = await verifierAgainst(issuer);
    const seen: JwksFetchOutcome[] = [];
    keyStore.observe({ onJwksFetch: (outcome) => seen.push(outcome) });
    expect(await keyStore.warm()).toBe(true);
    issuer.available = false;
    expect(await keyStore.warm()).toBe(false);
    expect(seen).toEqual(['success', 'failure']);
  });

  it('labels a refusal by its stable code only, and anything else by one fixed code', () => {
    expect(refusalCode(new InvalidTokenError(ErrorCode.EXPIRED, 'exp in the past'))).toBe('ERR_JWT_EXPIRED');
    expect(refusalCode(new Error('secret-looking message eyJhbGciOi'))).toBe('ERR_UNEXPECTED');
  });
});
