import type { Adapter, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { callerIdentityOf } from '@zt/security';
import { AuthorizationServerConfig } from '../config/authorization-server-config';
import type { KeySet } from '../keys/signing-keys.service';
import type { User } from '../users/users.repository';
import { toClientMetadata } from './client-metadata';
import { certificateForClient } from './peer-certificate';
import { detailsForCode, PAYMENT_APPROVAL, validatePaymentApproval } from './payment-approval';
import { renderProviderError } from './provider-error-page';
import * as policy from './token-policy';

export interface ProviderDeps {
  config: AuthorizationServerConfig;
  keys: KeySet;
  adapter: (model: string) => Adapter;
  findUser: (sub: string) => Promise<User | undefined>;
}

const HOUR = 3600;

/** oidc-provider configured for this bank: every choice here is a standard feature switched on or narrowed. */
export function providerConfiguration({ config, keys, adapter, findUser }: ProviderDeps): Configuration {
  const resourceServerInfo = policy.resourceServerInfo(config, keys.signing.alg);
  return {
    adapter,
    clients: config.clients.map((client) => toClientMetadata(client, config.mutualTls)),
    clientDefaults: {
      id_token_signed_response_alg: keys.signing.alg,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    jwks: { keys: keys.privateKeys as never },
    cookies: {
      keys: config.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    scopes: ['openid', 'offline_access'],
    responseTypes: ['code'],
    claims: { openid: ['sub'] },
    // S256 for every client, public or confidential (oidc-provider supports no other method).
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 8705 certificate-bound access tokens, only when this server speaks TLS. The TLS stack
      // requests a client certificate without requiring one (browsers and CLIs have none), so a
      // certificate counts only when the stack verified it against the platform CA, and a token is
      // bound only to a certificate naming the client's own workload.
      mTLS: {
        enabled: config.mutualTls,
        certificateBoundAccessTokens: true,
        getCertificate: certificateForClient,
        certificateAuthorized: (ctx: KoaContextWithOIDC) => callerIdentityOf(ctx.req) !== undefined,
      } as never,
      introspection: {
        enabled: true,
        // The gateway may introspect any token (phantom token); dev-tokens only its own.
        allowedPolicy: async (_ctx, client, token) => {
          const declaration = config.clients.find((c) => c.clientId === client.clientId);
          return Boolean(
            declaration?.introspection && (declaration.phantomToken || token.clientId === client.clientId),
          );
        },
      },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        defaultResource: policy.defaultResource as never,
        useGrantedResource: async () => true,
        getResourceServerInfo: resourceServerInfo,
      },
      richAuthorizationRequests: {
        enabled: true,
        types: { [PAYMENT_APPROVAL]: { validate: validatePaymentApproval } },
        authorizationDetailsForGrantSource: (ctx: KoaContextWithOIDC) => detailsForCode(ctx),
        authorizationDetailsForAccessToken: (_ctx: KoaContextWithOIDC, _token: unknown, source?: { rar?: unknown }) =>
          source?.rar,
        authorizationDetailsForIntrospection: (_ctx: KoaContextWithOIDC, token: { rar?: unknown }) => token.rar,
      } as never,
    },
    extraTokenClaims: policy.extraTokenClaims(async (sub) => (await findUser(sub))?.region) as never,
    formats: { customizers: { jwt: policy.customizeJwtAccessToken as never } },
    issueRefreshToken: policy.issueRefreshToken as never,
    // Every refresh rotates the refresh token; presenting a used one revokes the whole grant.
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.accessTokenTtlSeconds,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      Interaction: 15 * 60,
      RefreshToken: 8 * HOUR,
      Session: 8 * HOUR,
      Grant: 8 * HOUR,
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const user = await findUser(sub);
      return user && { accountId: user.sub, claims: async () => ({ sub: user.sub }) };
    },
    renderError: renderProviderError,
  };
}
