import { signCompact } from '../testing/test-keys';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

describe('AccessTokenVerifier: claims (RFC 9068)', () => {
  let issuer: TestIssuer;
  let verify: (claims: Record<string, unknown>) => Promise<string>;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const { verifier } = await verifierAgainst(issuer, { audiences: [issuer.audience, 'https://other.bank.test'] });
    verify = (claims) => codeOf(verifier.verify(issuer.token(claims)));
  });
  afterAll(() => issuer.stop());

  it('returns the principal with every verified claim', async () => {
    const { verifier } = await verifierAgainst(issuer);
    const token = issuer.token({
      scope: 'accounts:read payments:write',
      region: 'eu',
      transaction_id: 'p-1',
      jti: 'j-1',
    });
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({
      sub: 'user-alice',
      clientId: 'test-client',
      scopes: ['accounts:read', 'payments:write'],
      region: 'eu',
      transactionId: 'p-1',
      jti: 'j-1',
      token,
    });
    expect(principal.claims.iss).toBe(issuer.issuer);
    expect(Object.isFrozen(principal.claims)).toBe(true);
    expect(principal.actor).toBeUndefined();
  });

  it('names the actor of an exchanged token (RFC 8693 act.sub), earlier actors kept in claims.act', async () => {
    const { verifier } = await verifierAgainst(issuer);
    const act = { sub: 'accounts-service', act: { sub: 'payments-service' } };
    const principal = await verifier.verify(issuer.token({ act }));
    expect(principal.actor).toBe('accounts-service');
    expect(principal.claims.act).toEqual(act);
  });

  it('accepts a token without a scope claim as a token with no scopes (RFC 9068 §2.2.3: scope is optional)', async () => {
    const { verifier } = await verifierAgainst(issuer);
    const principal = await verifier.verify(issuer.token({ scope: undefined }));
    expect(principal.claims.scope).toBeUndefined();
    expect(principal.scopes).toEqual([]);
  });

  it('has an empty clientId when the token carries no client_id (the verifier does not require one)', async () => {
    const { verifier } = await verifierAgainst(issuer);
    expect((await verifier.verify(issuer.token({ client_id: undefined }))).clientId).toBe('');
  });

  it.each(['exp', 'nbf', 'iat'])(
    'rejects %s when JSON.parse turns it into Infinity (1e400) or -Infinity',
    async (name) => {
      const key = issuer.currentKey();
      const { verifier } = await verifierAgainst(issuer);
      const header = { alg: 'RS256', typ: 'at+jwt', kid: key.kid };
      for (const value of ['1e400', '-1e400']) {
        // JSON.stringify cannot write these numbers: the payload is spliced as text.
        const payload = JSON.stringify(issuer.claims({ [name]: 0 })).replace(`"${name}":0`, `"${name}":${value}`);
        expect(await codeOf(verifier.verify(signCompact(header, payload, key)))).toBe('ERR_JWT_CLAIM_INVALID');
      }
    },
  );

  it('rejects an expired token, honouring the clock skew (30 s default)', async () => {
    expect(await verify({ exp: now() - 31 })).toBe('ERR_JWT_EXPIRED');
    expect(await verify({ exp: now() - 20 })).toBe('ACCEPTED');
  });

  it('rejects a token not yet valid (nbf) or issued in the future (iat), honouring the skew', async () => {
    expect(await verify({ nbf: now() + 60 })).toBe('ERR_JWT_NOT_YET_VALID');
    expect(await verify({ nbf: now() + 20 })).toBe('ACCEPTED');
    expect(await verify({ iat: now() + 60 })).toBe('ERR_JWT_ISSUED_IN_FUTURE');
    expect(await verify({ iat: now() + 20 })).toBe('ACCEPTED');
  });

  it('uses the configured skew', async () => {
    const { verifier } = await verifierAgainst(issuer, {}, { OAUTH_CLOCK_SKEW_SECONDS: '0' });
    expect(await codeOf(verifier.verify(issuer.token({ exp: now() - 2 })))).toBe('ERR_JWT_EXPIRED');
    expect(await codeOf(verifier.verify(issuer.token({ nbf: now() + 5 })))).toBe('ERR_JWT_NOT_YET_VALID');
  });

  it.each([
    ['missing exp', { exp: undefined }],
    ['string exp', { exp: `${now() + 100}` }],
    ['string nbf', { nbf: 'soon' }],
    ['string iat', { iat: 'now' }],
    ['missing sub', { sub: undefined }],
    ['empty sub', { sub: '' }],
    ['numeric sub', { sub: 42 }],
    ['array scope', { scope: ['accounts:read'] }],
    ['numeric scope', { scope: 7 }],
    ['null scope', { scope: null }],
    ['object scope', { scope: { 'accounts:read': true } }],
    ['numeric transaction_id', { transaction_id: 7 }],
    ['object client_id', { client_id: {} }],
    ['numeric jti', { jti: 7 }],
    ['array jti', { jti: ['j-1'] }],
    ['numeric region', { region: 1 }],
    ['object region', { region: { name: 'eu' } }],
    ['act as a string', { act: 'payments-service' }],
    ['act without sub', { act: { client_id: 'payments-service' } }],
    ['act with an empty sub', { act: { sub: '' } }],
    ['act as an array', { act: [{ sub: 'payments-service' }] }],
    ['act as null', { act: null }],
  ])('rejects %s', async (_name, claims) => {
    expect(await verify(claims)).toBe('ERR_JWT_CLAIM_INVALID');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.test' }],
    ['issuer with trailing slash', { iss: 'ISSUER/' }],
    ['missing iss', { iss: undefined }],
  ])('rejects %s', async (_name, claims) => {
    const iss = claims.iss === 'ISSUER/' ? `${issuer.issuer}/` : claims.iss;
    expect(await verify({ ...claims, iss })).toBe('ERR_JWT_ISSUER_INVALID');
  });

  it('accepts aud as a string or an array containing an allowed audience', async () => {
    expect(await verify({ aud: 'https://other.bank.test' })).toBe('ACCEPTED');
    expect(await verify({ aud: ['https://x.test', 'https://api.bank.test'] })).toBe('ACCEPTED');
  });

  it.each([
    ['wrong aud', { aud: 'https://evil.test' }],
    ['missing aud', { aud: undefined }],
    ['empty array', { aud: [] }],
    ['array without an allowed value', { aud: ['https://evil.test', 3] }],
    ['aud as an object', { aud: { 'https://api.bank.test': true } }],
    ['audience prefix', { aud: 'https://api.bank.test.evil' }],
  ])('rejects %s', async (_name, claims) => {
    expect(await verify(claims)).toBe('ERR_JWT_AUDIENCE_INVALID');
  });

  it.each(['"a string"', '[1]', 'null', 'not json'])(
    'rejects a signed payload that is not a JSON object: %s',
    async (payload) => {
      const key = issuer.currentKey();
      const { verifier } = await verifierAgainst(issuer);
      expect(
        await codeOf(verifier.verify(signCompact({ alg: 'RS256', typ: 'at+jwt', kid: key.kid }, payload, key))),
      ).toBe('ERR_TOKEN_MALFORMED');
    },
  );
});
