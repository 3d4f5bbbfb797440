import { Inject, Injectable } from '@nestjs/common';
import { AuthorizationServerBackChannel } from '../authorization-server/back-channel';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { AuthorizationServerUnavailableError } from '../authorization-server/authorization-server-unavailable.error';

export type IntrospectionAnswer = { active: true; jwt: string } | { active: false };

/**
 * RFC 7662 introspection as the `gateway` client, asking for the phantom token form
 * (`Accept: application/jwt`): an active token comes back as its RFC 9068 JWT. Anything that is
 * not a clear answer (network error, timeout, 5xx, 401 for our own credentials) is "unavailable",
 * never "inactive" and never "active": the caller fails closed.
 */
@Injectable()
export class IntrospectionClient {
  private readonly channel: AuthorizationServerBackChannel;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.channel = new AuthorizationServerBackChannel(
      config.authorizationServerUrl,
      config.introspection.timeoutMs,
      config.introspection,
    );
  }

  async introspect(token: string): Promise<IntrospectionAnswer> {
    const res = await this.channel.postForm(
      await this.introspectionEndpoint(),
      { token, token_type_hint: 'access_token' },
      'application/jwt',
    );
    if (res.status !== 200) throw new AuthorizationServerUnavailableError(`introspection answered ${res.status}`);
    if (res.contentType.startsWith('application/jwt')) return { active: true, jwt: res.text.trim() };
    let parsed: { active?: unknown } | undefined;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      parsed = undefined;
    }
    if (parsed?.active === false) return { active: false };
    // active: true in JSON means the AS did not treat us as a phantom-token client: never forward that.
    throw new AuthorizationServerUnavailableError('introspection gave no JWT for an active token');
  }

  /** `introspection_endpoint` from discovery unless configured; re-discovered after a failure. */
  private async introspectionEndpoint(): Promise<string> {
    if (this.config.introspectionUrl) return this.config.introspectionUrl;
    const endpoint = await this.channel.endpoint('introspection_endpoint');
    if (!endpoint) throw new AuthorizationServerUnavailableError('discovery has no introspection_endpoint');
    return endpoint;
  }
}
