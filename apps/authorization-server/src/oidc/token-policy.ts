import type { Client, KoaContextWithOIDC, ResourceServer } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { AuthorizationServerConfig, TRANSACTION_TOKEN_TTL_SECONDS } from '../config/authorization-server-config';
import { findClientDeclaration } from '../clients/clients';
import { audienceFor } from '../tokens/access-token-jwt';
import { BANK_API_RESOURCE, isApiScope, splitScope, TRANSACTION_SCOPE } from '../scopes/api-scopes';
import { isTransactionRequest, transactionIdOf } from './payment-approval';

/** What an access token may hold, decided per client and per request (RFC 8707 resource server policy). */
export function resourceServerInfo(config: AuthorizationServerConfig, signingAlg: string) {
  return (ctx: KoaContextWithOIDC, indicator: string, client: Client): ResourceServer => {
    if (indicator !== BANK_API_RESOURCE)
      throw new errors.InvalidTarget(`unknown resource indicator; use ${BANK_API_RESOURCE} or none`);
    const declaration = findClientDeclaration(client.clientId);
    const allowed = splitScope(declaration?.scope).filter(isApiScope);
    const transaction = isTransactionRequest(ctx);
    // A transaction token holds payments:approve and nothing else; any other token never holds it.
    const scopes = allowed.filter((scope) => (scope === TRANSACTION_SCOPE) === transaction);
    const format = declaration?.accessTokenFormat ?? 'opaque';
    return {
      scope: scopes.join(' '),
      accessTokenFormat: format,
      accessTokenTTL: transaction ? TRANSACTION_TOKEN_TTL_SECONDS : config.accessTokenTtlSeconds,
      ...(format === 'jwt' ? { jwt: { sign: { alg: signingAlg as 'RS256' } } } : {}),
    };
  };
}

/** Clients may omit `resource`: every token is for the bank's APIs. */
export async function defaultResource(
  _ctx: KoaContextWithOIDC,
  _client: Client,
  oneOf?: string[],
): Promise<string | string[]> {
  if (!oneOf) return BANK_API_RESOURCE;
  const [only] = oneOf;
  return oneOf.length === 1 && only !== undefined ? only : oneOf;
}

interface TokenLike {
  kind?: string;
  accountId?: string;
  rar?: unknown;
}

/** Claims stored with each access token: the user's region and, for transaction tokens, the payment. */
export function extraTokenClaims(findRegion: (sub: string) => Promise<string | undefined>) {
  return async (_ctx: KoaContextWithOIDC, token: TokenLike): Promise<Record<string, string> | undefined> => {
    const extra: Record<string, string> = {};
    const region = token.accountId ? await findRegion(token.accountId) : undefined;
    if (region) extra.region = region;
    const transactionId = transactionIdOf(token.rar);
    if (transactionId) extra.transaction_id = transactionId;
    return Object.keys(extra).length ? extra : undefined;
  };
}

/** JWT access tokens issued directly (service clients): `aud` is every API their scopes are for. */
export async function customizeJwtAccessToken(
  _ctx: KoaContextWithOIDC,
  token: { scope?: string },
  jwt: { payload: Record<string, unknown> },
): Promise<void> {
  jwt.payload.aud = audienceFor(token.scope);
  delete jwt.payload.authorization_details;
}

/**
 * Refresh tokens for every client registered for them (OAuth 2.0 semantics, offline_access not
 * needed; without it they still end with the sign-in session), never for a transaction token.
 */
export async function issueRefreshToken(_ctx: KoaContextWithOIDC, client: Client, code: { rar?: unknown }) {
  return client.grantTypeAllowed('refresh_token') && !transactionIdOf(code.rar);
}
