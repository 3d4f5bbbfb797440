import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { generateSigningJwk, publicJwk, type SigningJwk } from '../keys/signing-jwk';
import type { KeySet } from '../keys/signing-keys.service';
import { type AccessTokenClaims, signAccessToken } from '../tokens/access-token-jwt';
import { tokenExchangeHandler } from './token-exchange.grant';

// Nothing listens here: the grant must verify with the keys it holds, never by fetching its JWKS.
const ISSUER = 'http://127.0.0.1:9';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

function keySetOf(signing: SigningJwk, ...older: SigningJwk[]): KeySet {
  const jwks = [signing, ...older];
  return {
    signing,
    signingKey: createPrivateKey({ key: signing, format: 'jwk' }),
    published: jwks.map(publicJwk),
    privateKeys: jwks,
    version: jwks.map((k) => k.kid).join(' '),
  };
}

/**
 * The subject token of an exchange is verified by @zt/security's AccessTokenVerifier on the keys
 * this process publishes: the library's rules, with the issuer's own choices (no clock skew).
 */
describe('token exchange: verifying the subject token', () => {
  const first = generateSigningJwk();
  let keys = keySetOf(first);
  const handler = tokenExchangeHandler({ issuer: ISSUER, ttlSeconds: 600, keys: () => keys });

  const claims = (overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: ISSUER,
      sub: 'usr_alice',
      aud: ['payments-api'],
      iat: now - 60,
      exp: now + 300,
      jti: randomUUID(),
      client_id: 'gateway',
      scope: 'payments:write',
      ...overrides,
    };
  };
  /** The grant's outcome: 'issued', or the OAuth error code it threw. */
  const exchange = async (subjectToken: string): Promise<string> => {
    const ctx = {
      oidc: {
        params: { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN },
        client: { clientId: 'payments-service' },
      },
    } as unknown as KoaContextWithOIDC;
    try {
      await handler(ctx);
      return (ctx.body as { access_token?: string }).access_token ? 'issued' : 'nothing';
    } catch (error) {
      return (error as { error?: string }).error ?? String(error);
    }
  };

  beforeEach(() => (keys = keySetOf(first)));

  it('accepts its own access token, from the keys in memory', async () => {
    expect(await exchange(await signAccessToken(claims(), keys))).toBe('issued');
  });

  it('honours no clock skew: a subject token expired a second ago is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await exchange(await signAccessToken(claims({ exp: now - 1 }), keys))).toBe('invalid_grant');
  });

  it.each([
    ['from another issuer', claims({ iss: 'https://other.example' })],
    ['for no audience any service has', claims({ aud: ['urn:zt:bank-api'] })],
    ['without sub', claims({ sub: '' })],
    ['with a non-string scope', claims({ scope: 42 as unknown as string })],
  ])('refuses a token %s', async (_case, subject) => {
    expect(await exchange(await signAccessToken(subject, keys))).toBe('invalid_grant');
  });

  it('refuses a token that is not typed at+jwt, or signed with an algorithm or key this server does not use', async () => {
    const sign = (header: Record<string, unknown>, key = keys.signingKey) =>
      new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: first.kid, ...header } as never).sign(key);
    expect(await exchange(await sign({ typ: 'JWT' }))).toBe('invalid_grant');
    expect(await exchange(await sign({ typ: 'at+jwt', alg: 'PS256' }))).toBe('invalid_grant');
    const other = generateSigningJwk();
    expect(await exchange(await sign({ typ: 'at+jwt' }, createPrivateKey({ key: other, format: 'jwk' })))).toBe(
      'invalid_grant',
    );
  });

  it('follows a key rotation: a token whose key is no longer published is refused, even after it was accepted', async () => {
    const token = await signAccessToken(claims(), keys);
    expect(await exchange(token)).toBe('issued');
    const next = generateSigningJwk();
    keys = keySetOf(next);
    expect(await exchange(token)).toBe('invalid_grant');
    expect(await exchange(await signAccessToken(claims(), keys))).toBe('issued');
  });
});
