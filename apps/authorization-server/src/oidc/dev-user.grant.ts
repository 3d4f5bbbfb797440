import type { KoaContextWithOIDC, Provider, ResourceServer } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { User } from '../users/users.repository';
import { BANK_API_RESOURCE, splitScope } from '../scopes/api-scopes';
import { claimsForOpaqueToken } from '../tokens/access-token-jwt';

/**
 * Development only: an opaque access token for a seeded user without the login page, so
 * `npm run token` can hand a developer a token for curl at once. It mints a token for ANY user
 * without a password, so it is registered only when development is chosen explicitly (NODE_ENV
 * `development` or `test`; an unset NODE_ENV is production, where the authorization server answers
 * unsupported_grant_type), usable only by the development-only `dev-tokens` client, and refused by
 * the gateway in every mode: it is never reachable from the internet. The response also shows the
 * claims of the JWT the gateway will get for it (never the JWT itself).
 */
export const DEV_USER_PARAMETERS = ['username', 'scope'];

export interface DevUserGrantDeps {
  issuer: string;
  findUser: (username: string) => Promise<User | undefined>;
  allowedScopes: (user: User, requested: string[]) => { granted: string[]; refused: string[] };
  resourceServer: (ctx: KoaContextWithOIDC) => ResourceServer;
}

export function devUserHandler(deps: DevUserGrantDeps) {
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    const provider = ctx.oidc.provider as Provider & {
      ResourceServer: new (id: string, info: ResourceServer) => unknown;
    };
    const client = ctx.oidc.client!;
    const { username, scope } = ctx.oidc.params as { username?: string; scope?: string };
    if (!username) throw new errors.InvalidRequest('missing required parameter username');
    const user = await deps.findUser(username);
    if (!user) throw new errors.InvalidGrant('unknown user');

    const info = deps.resourceServer(ctx);
    const available = new Set(splitScope(info.scope));
    const requested = splitScope(scope);
    const unknown = requested.filter((s) => !available.has(s));
    if (unknown.length) throw new errors.InvalidScope('scope not available to development tokens', unknown.join(' '));
    const { granted, refused } = deps.allowedScopes(user, requested);
    if (refused.length)
      throw new errors.InvalidScope(`${user.username} may not be granted this scope`, refused.join(' '));

    const grant = new provider.Grant({ accountId: user.sub, clientId: client.clientId });
    grant.addResourceScope(BANK_API_RESOURCE, granted.join(' '));
    const grantId = await grant.save();

    const token = new provider.AccessToken({ accountId: user.sub, client, grantId, gty: 'dev-user' });
    (token as unknown as { resourceServer: unknown }).resourceServer = new provider.ResourceServer(
      BANK_API_RESOURCE,
      info,
    );
    token.scope = granted.join(' ');
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    const stored = await provider.AccessToken.find(value);

    ctx.body = {
      access_token: value,
      token_type: 'Bearer',
      expires_in: token.expiration,
      scope: token.scope,
      access_token_claims: claimsForOpaqueToken(value, stored as never, deps.issuer),
    };
  };
}
