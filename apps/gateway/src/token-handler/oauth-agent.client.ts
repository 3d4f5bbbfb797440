import { Inject, Injectable } from '@nestjs/common';
import { request } from 'undici';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { AuthorizationServerUnavailableError } from '../phantom-token/authorization-server-unavailable.error';

interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/** The token handler's back channel to the AS as confidential client `gateway-bff` (code + PKCE, refresh, revoke). */
@Injectable()
export class OAuthAgentClient {
  private endpoints?: Promise<Endpoints>;
  private readonly basic: string;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const { clientId, clientSecret } = config.bff;
    this.basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  }

  /**
   * Starting a login sends the browser to the authorization server, so the server is asked first
   * (a fresh discovery request): while it is down the login fails here with a clear 503 instead
   * of a redirect to a dead page. Logins are rare, so the extra request costs nothing that matters.
   */
  async authorizationUrl(state: string, codeChallenge: string): Promise<string> {
    this.endpoints = undefined;
    const url = new URL((await this.discover()).authorization_endpoint);
    const { clientId, redirectUri, scope } = this.config.bff;
    const params = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, code_challenge: codeChallenge, code_challenge_method: 'S256' };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.href;
  }

  /** undefined when the AS refuses the grant (bad code, used or revoked refresh token). */
  async token(form: Record<string, string>): Promise<TokenSet | undefined> {
    const res = await this.post((await this.discover()).token_endpoint, form);
    if (res.status === 400 || res.status === 401) return undefined;
    if (res.status !== 200) throw new AuthorizationServerUnavailableError(`token endpoint answered ${res.status}`);
    const body = JSON.parse(res.text) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new AuthorizationServerUnavailableError('token response without access_token');
    return {
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 300,
    };
  }

  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const endpoint = (await this.discover()).revocation_endpoint;
    if (endpoint) await this.post(endpoint, { token, token_type_hint: hint });
  }

  private discover(): Promise<Endpoints> {
    this.endpoints ??= this.fetchDiscovery().catch((error: unknown) => {
      this.endpoints = undefined;
      throw error;
    });
    return this.endpoints;
  }

  private async fetchDiscovery(): Promise<Endpoints> {
    const res = await this.send(`${this.config.authorizationServerUrl}/.well-known/openid-configuration`, { method: 'GET', headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new AuthorizationServerUnavailableError(`discovery answered ${res.status}`);
    return JSON.parse(res.text) as Endpoints;
  }

  private post(url: string, form: Record<string, string>) {
    return this.send(url, {
      method: 'POST',
      headers: { authorization: this.basic, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  private async send(url: string, options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) {
    const timeout = this.config.introspection.timeoutMs;
    try {
      const res = await request(url, { ...options, headersTimeout: timeout, bodyTimeout: timeout, signal: AbortSignal.timeout(timeout) });
      return { status: res.statusCode, text: await res.body.text() };
    } catch (error) {
      throw new AuthorizationServerUnavailableError((error as Error).message);
    }
  }
}
