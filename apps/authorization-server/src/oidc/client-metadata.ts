import type { ClientMetadata } from 'oidc-provider';
import type { ResolvedClient } from '../config/authorization-server-config';

/**
 * A declaration from clients.ts as oidc-provider client metadata (RFC 7591 names). The API
 * scopes a client may get are enforced by the resource server policy (token-policy.ts), since
 * oidc-provider's `scope` metadata only covers OpenID Connect scopes.
 */
export function toClientMetadata(client: ResolvedClient, mutualTls = false): ClientMetadata {
  const usesCode = client.grantTypes.includes('authorization_code');
  return {
    client_id: client.clientId,
    ...(client.secret ? { client_secret: client.secret } : {}),
    token_endpoint_auth_method: client.secret ? 'client_secret_basic' : 'none',
    application_type: client.applicationType ?? 'web',
    grant_types: client.grantTypes,
    response_types: usesCode ? ['code'] : [],
    redirect_uris: client.redirectUriList,
    authorization_details_types: client.authorizationDetailsTypes ?? [],
    // RFC 8705 §3: oidc-provider then refuses to issue these clients a token without a verified client
    // certificate on the connection, and puts its thumbprint in `cnf.x5t#S256`.
    ...(mutualTls && client.certificateBoundTokens ? { tls_client_certificate_bound_access_tokens: true } : {}),
  };
}
