import { Inject, Injectable } from '@nestjs/common';
import { AuthorizationServerBackChannel } from '../authorization-server/back-channel';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { AuthorizationServerUnavailableError } from '../authorization-server/authorization-server-unavailable.error';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/** The token handler's back channel to the AS as confidential client `gateway-bff` (code + PKCE, refresh, revoke). */
@Injectable()
export class OAuthAgentClient {
  private readonly channel: AuthorizationServerBackChannel;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.channel = new AuthorizationServerBackChannel(
      config.authorizationServerUrl,
      config.introspection.timeoutMs,
      config.bff,
    );
  }

  /**
   * Starting a login sends the browser to the authorization server, so the server is asked first
   * (a fresh discovery request): while it is down the login fails here with a clear 503 instead
   * of a redirect to a dead page. Logins are rare, so the extra request costs nothing that matters.
   */
  async authorizationUrl(state: string, codeChallenge: string): Promise<string> {
    await this.channel.discover(true);
    const url = new URL(await this.required('authorization_endpoint'));
    const { clientId, redirectUri, scope } = this.config.bff;
    const params = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.href;
  }

  /** undefined when the AS refuses the grant (bad code, used or revoked refresh token). */
  async token(form: Record<string, string>): Promise<TokenSet | undefined> {
    const res = await this.channel.postForm(await this.required('token_endpoint'), form, 'application/json');
    if (res.status === 400 || res.status === 401) return undefined;
    if (res.status !== 200) throw new AuthorizationServerUnavailableError(`token endpoint answered ${res.status}`);
    const body = JSON.parse(res.text) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string')
      throw new AuthorizationServerUnavailableError('token response without access_token');
    return {
      accessToken: body.access_token,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 300,
    };
  }

  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const endpoint = await this.channel.endpoint('revocation_endpoint');
    if (endpoint) await this.channel.postForm(endpoint, { token, token_type_hint: hint }, 'application/json');
  }

  private async required(name: string): Promise<string> {
    const endpoint = await this.channel.endpoint(name);
    if (!endpoint) throw new AuthorizationServerUnavailableError(`discovery has no ${name}`);
    return endpoint;
  }
}
