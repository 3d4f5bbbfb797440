import type { KoaContextWithOIDC } from 'oidc-provider';
import { findClientDeclaration } from '../clients/clients';
import type { KeySet } from '../keys/signing-keys.service';
import { audienceFor, claimsForOpaqueToken, signAccessToken, StoredTokenView } from '../tokens/access-token-jwt';

const JWT_MEDIA_TYPE = 'application/jwt';
const ACCESS_TOKEN_KINDS = ['AccessToken', 'ClientCredentials'] as const;

/**
 * The phantom token pattern on top of RFC 7662 introspection. oidc-provider answers the
 * introspection; afterwards, when the caller is a phantom-token client (the gateway) and asks
 * with `Accept: application/jwt`, the answer for an active access token is replaced by its
 * RFC 9068 JWT (same sub, scope, client and exp), body and content type `application/jwt`.
 * Everyone else gets the JSON answer, its `aud` being the APIs the token's scopes are for.
 */
export function phantomTokenMiddleware(issuer: string, keys: () => KeySet) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    const wantsJwt = ctx.method === 'POST' && ctx.accepts('json', JWT_MEDIA_TYPE) === JWT_MEDIA_TYPE;
    await next();
    if (ctx.oidc?.route !== 'introspection' || ctx.status !== 200) return;
    const body = ctx.body as { active?: boolean } | undefined;
    const token = accessTokenOf(ctx);
    const phantomClient = Boolean(ctx.oidc.client && findClientDeclaration(ctx.oidc.client.clientId)?.phantomToken);

    if (wantsJwt && phantomClient) {
      if (!body?.active || !token) {
        // Only access tokens have a JWT twin; a refresh token is never turned into one.
        ctx.body = { active: false };
        return;
      }
      const opaque = String(ctx.oidc.params?.token);
      ctx.body = await signAccessToken(claimsForOpaqueToken(opaque, token, issuer), keys());
      ctx.type = JWT_MEDIA_TYPE;
      return;
    }
    if (body?.active && token) Object.assign(body, { aud: audienceFor(token.scope) });
  };
}

function accessTokenOf(ctx: KoaContextWithOIDC): StoredTokenView | undefined {
  for (const kind of ACCESS_TOKEN_KINDS) {
    const entity = ctx.oidc.entities[kind] as unknown as StoredTokenView | undefined;
    if (entity) return entity;
  }
  return undefined;
}
