import { generateTestKey, publicJwk, signCompact } from '../testing/test-keys';
import { SpyServer } from '../testing/spy-server';
import { codeOf, TestIssuer, verifierAgainst } from '../testing/verifier-test-setup';

describe('AccessTokenVerifier: header and signature attacks (RFC 8725)', () => {
  let issuer: TestIssuer;
  let verify: (token: string) => Promise<string>;

  beforeAll(async () => {
    issuer = await TestIssuer.start({ algorithms: ['RS256', 'ES256', 'PS256'] });
    const { verifier } = await verifierAgainst(issuer, {}, { OAUTH_ALGORITHMS: 'RS256,ES256,PS256' });
    verify = (token) => codeOf(verifier.verify(token));
  });
  afterAll(() => issuer.stop());

  it('accepts a valid RS256, ES256 and PS256 token', async () => {
    for (const alg of ['RS256', 'ES256', 'PS256'] as const)
      expect(await verify(issuer.token({}, { alg }))).toBe('ACCEPTED');
  });

  it('rejects a forged signature (payload edited after signing)', async () => {
    const [h, , s] = issuer.token().split('.');
    const evil = Buffer.from(JSON.stringify(issuer.claims({ scope: 'payments:approve' }))).toString('base64url');
    expect(await verify(`${h}.${evil}.${s}`)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('rejects a token signed by a key that is not in the JWKS, even with a known kid', async () => {
    const attacker = generateTestKey('RS256', issuer.currentKey().kid);
    expect(await verify(issuer.token({}, { key: attacker }))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s (empty and junk signature)', async (alg) => {
    expect(await verify(issuer.unsignedToken(alg))).toBe('ERR_TOKEN_MALFORMED');
    expect(await verify(issuer.unsignedToken(alg, {}, 'c2ln'))).toBe('ERR_JWS_ALG_NOT_ALLOWED');
  });

  it.each(['HS256', 'HS384', 'HS512'])('rejects %s signed with our RSA public key', async (alg) => {
    expect(await verify(issuer.hmacWithPublicKeyToken({}, alg))).toBe('ERR_JWS_ALG_NOT_ALLOWED');
  });

  it('rejects an algorithm that is not matched to the key type (ES256 header on an RSA kid)', async () => {
    const rsa = issuer.currentKey('RS256');
    const ec = generateTestKey('ES256', rsa.kid);
    expect(await verify(issuer.token({}, { key: ec, alg: 'ES256' }))).toBe('ERR_JWK_ALG_MISMATCH');
  });

  it('rejects a header alg different from the alg pinned on the JWK (PS256 on an RS256 key)', async () => {
    const rsa = issuer.currentKey('RS256');
    const token = signCompact({ alg: 'PS256', typ: 'at+jwt', kid: rsa.kid }, issuer.claims(), rsa, 'PS256');
    expect(await verify(token)).toBe('ERR_JWK_ALG_MISMATCH');
  });

  it('ignores an embedded jwk: the attacker key is never trusted', async () => {
    const attacker = generateTestKey('RS256', issuer.currentKey().kid);
    expect(await verify(issuer.embeddedJwkToken(attacker))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const unknownKid = generateTestKey('RS256');
    expect(await verify(issuer.embeddedJwkToken(unknownKid))).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });

  it.each(['jku', 'x5u'] as const)('never contacts a %s URL from the token', async (member) => {
    const attacker = generateTestKey('RS256');
    const spy = await SpyServer.start((_u, res) =>
      res.writeHead(200).end(JSON.stringify({ keys: [publicJwk(attacker)] })),
    );
    try {
      expect(await verify(issuer.remoteKeyToken(`${spy.url}/keys`, attacker, member))).toBe('ERR_JWKS_NO_MATCHING_KEY');
      const sameKid = generateTestKey('RS256', issuer.currentKey().kid);
      expect(await verify(issuer.remoteKeyToken(`${spy.url}/keys`, sameKid, member))).toBe(
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      );
      expect(spy.hits).toBe(0);
    } finally {
      await spy.stop();
    }
  });

  it('rejects any crit header, even one listing a known member', async () => {
    expect(await verify(issuer.token({}, { header: { crit: ['exp'], exp: 1 } }))).toBe('ERR_JWS_CRIT_UNSUPPORTED');
    expect(await verify(issuer.token({}, { header: { crit: ['b64'], b64: false } }))).toBe('ERR_JWS_CRIT_UNSUPPORTED');
  });

  it('requires typ at+jwt (case-insensitive, application/ prefix allowed)', async () => {
    expect(await verify(issuer.token({}, { header: { typ: 'JWT' } }))).toBe('ERR_JWT_TYP_INVALID');
    expect(await verify(issuer.token({}, { header: { typ: undefined } }))).toBe('ERR_JWT_TYP_INVALID');
    expect(await verify(issuer.token({}, { header: { typ: 'dpop+jwt' } }))).toBe('ERR_JWT_TYP_INVALID');
    expect(await verify(issuer.token({}, { header: { typ: 'AT+JWT' } }))).toBe('ACCEPTED');
    expect(await verify(issuer.token({}, { header: { typ: 'application/at+jwt' } }))).toBe('ACCEPTED');
  });

  it.each([
    ['two parts', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['four parts', (t: string) => `${t}.x`],
    ['non-base64url characters', (t: string) => t.replace('.', '.+')],
    ['padding', (t: string) => `${t}=`],
    ['header not JSON', (t: string) => `bm90LWpzb24.${t.split('.').slice(1).join('.')}`],
    [
      'header a JSON array',
      (t: string) => `${Buffer.from('[]').toString('base64url')}.${t.split('.').slice(1).join('.')}`,
    ],
  ])('rejects a malformed token: %s', async (_name, mutate) => {
    expect(await verify(mutate(issuer.token()))).toBe('ERR_TOKEN_MALFORMED');
  });

  it('says in the log reason which part is not JSON, and which is JSON but not an object', async () => {
    const { verifier } = await verifierAgainst(issuer, {}, { OAUTH_ALGORITHMS: 'RS256,ES256,PS256' });
    const reason = (token: string) =>
      verifier.verify(token).then(
        () => 'ACCEPTED',
        (e: Error) => e.message,
      );
    const [, p, s] = issuer.token().split('.');
    const notJson = Buffer.from('{"alg":').toString('base64url');
    expect(await reason(`${notJson}.${p}.${s}`)).toBe('header is not JSON');
    expect(await reason(`${Buffer.from('7').toString('base64url')}.${p}.${s}`)).toBe('header is not a JSON object');
    const key = issuer.currentKey();
    expect(await reason(signCompact({ alg: 'RS256', typ: 'at+jwt', kid: key.kid }, '{"sub":', key))).toBe(
      'payload is not JSON',
    );
  });

  it('rejects a kid that is not a string and an over-long token', async () => {
    expect(await verify(issuer.token({}, { header: { kid: 7 } }))).toBe('ERR_TOKEN_MALFORMED');
    expect(await verify(issuer.token({ pad: 'x'.repeat(9000) }))).toBe('ERR_TOKEN_MALFORMED');
  });
});
