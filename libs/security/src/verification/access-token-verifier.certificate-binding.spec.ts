import { createHash } from 'node:crypto';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';
import type { AccessTokenVerifier } from './access-token-verifier';
import type { CallerIdentity } from './caller-identity';

const thumbprintOf = (seed: string) => createHash('sha256').update(seed).digest('base64url');

/**
 * RFC 8705 §3 in the verifier itself: a token carrying `cnf["x5t#S256"]` is accepted only with the
 * certificate it names on the connection. The transport (real TLS) is covered by
 * certificate-bound-tokens.tls.spec.ts; here every branch, on the verify path and the cache path.
 */
describe('AccessTokenVerifier: certificate-bound tokens (RFC 8705)', () => {
  let issuer: TestIssuer;
  let verifier: AccessTokenVerifier;
  const payments: CallerIdentity = Object.freeze({
    thumbprint: thumbprintOf('payments'),
    spiffeId: 'spiffe://bank.example/payments',
    trustDomain: 'bank.example',
    workload: 'payments',
  });
  const accounts: CallerIdentity = Object.freeze({ thumbprint: thumbprintOf('accounts'), workload: 'accounts' });
  const boundToPayments = () => issuer.token({ cnf: { 'x5t#S256': payments.thumbprint } });

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    ({ verifier } = await verifierAgainst(issuer));
  });
  afterAll(() => issuer.stop());

  it('accepts a bound token with its certificate, exposing the binding and the caller on a frozen principal', async () => {
    const principal = await verifier.verify(boundToPayments(), payments);
    expect(principal.certificateThumbprint).toBe(payments.thumbprint);
    expect(principal.caller).toBe(payments);
    expect(principal.sub).toBe('user-alice');
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it("refuses a bound token over another workload's connection, with a reason for the log", async () => {
    await expect(verifier.verify(boundToPayments(), accounts)).rejects.toMatchObject({
      code: 'ERR_TOKEN_CERTIFICATE_MISMATCH',
      message: 'token is bound to another client certificate',
      status: 401,
    });
  });

  it('refuses a bound token on a connection without a certificate (plain HTTP, Kafka)', async () => {
    await expect(verifier.verify(boundToPayments())).rejects.toMatchObject({
      code: 'ERR_TOKEN_CERTIFICATE_MISMATCH',
      message: 'token is bound to a client certificate; none presented',
    });
  });

  it('checks the binding on every cache hit: the cache is keyed by token, the binding is per connection', async () => {
    const token = boundToPayments();
    const first = await verifier.verify(token, payments);
    expect(verifier.verifyCached(token, payments)).toEqual(first);
    expect(() => verifier.verifyCached(token, accounts)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_CERTIFICATE_MISMATCH' }),
    );
    expect(() => verifier.verifyCached(token)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_CERTIFICATE_MISMATCH' }),
    );
    expect(await codeOf(verifier.verify(token, accounts))).toBe('ERR_TOKEN_CERTIFICATE_MISMATCH');
    // The refusals did not evict or alter the cached principal: its holder still gets in.
    expect(verifier.verifyCached(token, payments)?.certificateThumbprint).toBe(payments.thumbprint);
  });

  it('accepts an unbound token with or without a certificate; the caller is per request, the cached principal shared', async () => {
    const token = issuer.token();
    const plain = await verifier.verify(token);
    expect(plain.certificateThumbprint).toBeUndefined();
    expect('caller' in plain).toBe(false);
    expect(await verifier.verify(token)).toBe(plain);
    expect(verifier.verifyCached(token)).toBe(plain);
    const forwarded = await verifier.verify(token, payments);
    expect(forwarded.caller).toBe(payments);
    expect(forwarded.sub).toBe(plain.sub);
    expect(Object.isFrozen(forwarded)).toBe(true);
    expect(verifier.verifyCached(token, accounts)?.caller).toBe(accounts);
    expect(verifier.verifyCached(token)).toBe(plain);
  });

  it.each([
    ['null', null],
    ['an array', [payments.thumbprint]],
    ['a string', payments.thumbprint],
    ['empty', {}],
    ['a DPoP key binding (jkt) this library cannot check', { jkt: payments.thumbprint }],
    ['x5t#S256 with another method beside it', { 'x5t#S256': payments.thumbprint, jkt: payments.thumbprint }],
    ['x5t#S256 not a string', { 'x5t#S256': 42 }],
    ['x5t#S256 an array holding the thumbprint', { 'x5t#S256': [payments.thumbprint] }],
    ['x5t#S256 one character short', { 'x5t#S256': payments.thumbprint.slice(1) }],
    ['x5t#S256 with padding', { 'x5t#S256': `${payments.thumbprint}=` }],
    ['x5t#S256 with a prefix', { 'x5t#S256': `=${payments.thumbprint}` }],
    ['x5t#S256 in base64, not base64url', { 'x5t#S256': `+/${payments.thumbprint.slice(2)}` }],
    ['x5t (SHA-1) instead of x5t#S256', { x5t: payments.thumbprint }],
  ])('refuses a cnf claim that is %s (never read as "unbound")', async (_what, cnf) => {
    expect(await codeOf(verifier.verify(issuer.token({ cnf }), payments))).toBe('ERR_JWT_CLAIM_INVALID');
  });
});
