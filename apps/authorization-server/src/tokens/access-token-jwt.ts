import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { KeySet } from '../keys/signing-keys.service';
import { audiencesForScopes, BANK_API_RESOURCE, splitScope } from '../scopes/api-scopes';

/** The claims of every RFC 9068 access token this server signs (phantom, exchanged, machine). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  region?: string;
  transaction_id?: string;
  event_id?: string;
  event_digest?: string;
  [claim: string]: unknown;
}

/** What the provider stored for an opaque token (its introspection view). */
export interface StoredTokenView {
  accountId?: string;
  clientId: string;
  scope?: string;
  iat: number;
  exp: number;
  extra?: { region?: unknown; transaction_id?: unknown };
}

/** The APIs a token is for, from its scopes; a token without API scopes names no API. */
export function audienceFor(scope: string | undefined): string[] {
  const audiences = audiencesForScopes(splitScope(scope));
  return audiences.length ? audiences : [BANK_API_RESOURCE];
}

/**
 * The JWT twin of an opaque token: same subject, scopes, client and expiry. Its `jti` is a hash
 * of the opaque value, stable across introspections (so the gateway can cache and APIs can log
 * it) and useless for presenting the opaque token itself.
 */
export function claimsForOpaqueToken(opaque: string, token: StoredTokenView, issuer: string): AccessTokenClaims {
  const claims: AccessTokenClaims = {
    iss: issuer,
    sub: token.accountId ?? token.clientId,
    aud: audienceFor(token.scope),
    exp: token.exp,
    iat: token.iat,
    jti: createHash('sha256').update(`jti:${opaque}`).digest('base64url'),
    client_id: token.clientId,
    scope: token.scope ?? '',
  };
  if (typeof token.extra?.region === 'string') claims.region = token.extra.region;
  if (typeof token.extra?.transaction_id === 'string') claims.transaction_id = token.extra.transaction_id;
  return claims;
}

/** Signs with the active key; `typ: at+jwt` tells verifiers this is an access token, not an ID token. */
export function signAccessToken(claims: AccessTokenClaims, keys: KeySet): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: keys.signing.alg, kid: keys.signing.kid, typ: 'at+jwt' })
    .sign(keys.signingKey);
}
