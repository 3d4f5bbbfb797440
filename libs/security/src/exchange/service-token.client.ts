import * as oauth from 'openid-client';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** Renew a cached client-credentials token this long before it expires. */
const RENEW_BEFORE_MS = 30_000;

export interface ServiceTokenClientOptions {
  /** OAUTH_ISSUER: without `tokenEndpoint`, discovery (RFC 8414 / OIDC) finds the token endpoint from here. */
  issuer: string;
  /**
   * OAUTH_TOKEN_ENDPOINT: the token endpoint as this service reaches it, used as given (no
   * discovery). For deployments where the issuer is the URL browsers see (e.g. the host's
   * published port) and services reach the authorization server by an internal name.
   */
  tokenEndpoint?: string;
  /**
   * Plain HTTP to a host that is not loopback (the client secret and tokens travel in clear).
   * Only for an explicitly chosen development mode, e.g. a compose network; never in production.
   */
  allowInsecureHttp?: boolean;
  /** OAUTH_CLIENT_ID / OAUTH_CLIENT_SECRET: this service's confidential client. */
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export interface ExchangeRequest {
  /** The caller's access token (a JWT) whose identity the new token carries on. */
  subjectToken: string;
  /** Narrower audience and scope than the subject token (the AS refuses widening). */
  audience: string;
  scope: string;
  /** Binds the new token to one event: its id and the SHA-256 (base64url) digest of its payload. */
  eventId?: string;
  eventDigest?: string;
}

/**
 * A service's own OAuth client, on panva's certified `openid-client`: RFC 8693 token exchange
 * (a user's token in, a narrower one out, e.g. an event token) and client credentials for the
 * service's own identity. Protocol details stay in the library; this class only says what to ask.
 */
export class ServiceTokenClient {
  private configuration?: Promise<oauth.Configuration>;
  private cached = new Map<string, { token: string; renewAt: number }>();

  constructor(private readonly options: ServiceTokenClientOptions) {}

  async exchange(request: ExchangeRequest): Promise<{ accessToken: string; expiresIn?: number }> {
    const params: Record<string, string> = {
      subject_token: request.subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      audience: request.audience,
      scope: request.scope,
    };
    if (request.eventId) params.event_id = request.eventId;
    if (request.eventDigest) params.event_digest = request.eventDigest;
    const response = await oauth.genericGrantRequest(await this.config(), TOKEN_EXCHANGE_GRANT, params);
    return { accessToken: response.access_token, expiresIn: response.expires_in };
  }

  /** A token for the service itself, cached until shortly before it expires. */
  async clientCredentials(scope: string): Promise<string> {
    const hit = this.cached.get(scope);
    if (hit && hit.renewAt > Date.now()) return hit.token;
    const response = await oauth.clientCredentialsGrant(await this.config(), { scope });
    const lifetimeMs = (response.expires_in ?? 60) * 1000;
    this.cached.set(scope, {
      token: response.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - RENEW_BEFORE_MS, 0),
    });
    return response.access_token;
  }

  private config(): Promise<oauth.Configuration> {
    this.configuration ??= this.discover().catch((error) => {
      this.configuration = undefined; // try discovery again next time
      throw error;
    });
    return this.configuration;
  }

  private async discover(): Promise<oauth.Configuration> {
    const { issuer, tokenEndpoint, clientId, clientSecret, timeoutMs = 5000 } = this.options;
    const auth = oauth.ClientSecretBasic(clientSecret);
    let config: oauth.Configuration;
    if (tokenEndpoint) {
      config = new oauth.Configuration({ issuer, token_endpoint: tokenEndpoint }, clientId, undefined, auth);
      if (this.plainHttpAllowed(new URL(tokenEndpoint))) oauth.allowInsecureRequests(config);
    } else {
      const url = new URL(issuer);
      const execute = this.plainHttpAllowed(url) ? [oauth.allowInsecureRequests] : [];
      config = await oauth.discovery(url, clientId, undefined, auth, { execute, timeout: timeoutMs / 1000 });
    }
    config.timeout = timeoutMs / 1000;
    return config;
  }

  /** Plain HTTP only to loopback (development and tests) or when explicitly allowed; anything else must be HTTPS. */
  private plainHttpAllowed(url: URL): boolean {
    return url.protocol === 'http:' && (isLoopbackHost(url.hostname) || this.options.allowInsecureHttp === true);
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}
