import { Inject, Injectable } from '@nestjs/common';
import { request } from 'undici';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { AuthorizationServerUnavailableError } from './authorization-server-unavailable.error';

export type IntrospectionAnswer = { active: true; jwt: string } | { active: false };

/**
 * RFC 7662 introspection as the `gateway` client, asking for the phantom token form
 * (`Accept: application/jwt`): an active token comes back as its RFC 9068 JWT. Anything that is
 * not a clear answer (network error, timeout, 5xx, 401 for our own credentials) is "unavailable",
 * never "inactive" and never "active": the caller fails closed.
 */
@Injectable()
export class IntrospectionClient {
  private endpoint?: Promise<string>;
  private readonly basic: string;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const { clientId, clientSecret } = config.introspection;
    // RFC 6749 §2.3.1: form-encode id and secret before Basic.
    this.basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  }

  async introspect(token: string): Promise<IntrospectionAnswer> {
    const url = await this.introspectionEndpoint();
    const res = await this.call(url, {
      method: 'POST',
      headers: { authorization: this.basic, accept: 'application/jwt', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
    const type = String(res.headers['content-type'] ?? '');
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new AuthorizationServerUnavailableError(`introspection answered ${res.statusCode}`);
    if (type.startsWith('application/jwt')) return { active: true, jwt: body.trim() };
    let parsed: { active?: unknown } | undefined;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (parsed?.active === false) return { active: false };
    // active: true in JSON means the AS did not treat us as a phantom-token client: never forward that.
    throw new AuthorizationServerUnavailableError('introspection gave no JWT for an active token');
  }

  /** `introspection_endpoint` from discovery unless configured; re-discovered after a failure. */
  private introspectionEndpoint(): Promise<string> {
    if (this.config.introspectionUrl) return Promise.resolve(this.config.introspectionUrl);
    this.endpoint ??= this.discover().catch((error: unknown) => {
      this.endpoint = undefined;
      throw error;
    });
    return this.endpoint;
  }

  private async discover(): Promise<string> {
    const res = await this.call(`${this.config.authorizationServerUrl}/.well-known/openid-configuration`, { method: 'GET', headers: { accept: 'application/json' } });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new AuthorizationServerUnavailableError(`discovery answered ${res.statusCode}`);
    const endpoint = (JSON.parse(body) as { introspection_endpoint?: unknown }).introspection_endpoint;
    if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) throw new AuthorizationServerUnavailableError('discovery has no introspection_endpoint');
    return endpoint;
  }

  private async call(url: string, options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) {
    const timeout = this.config.introspection.timeoutMs;
    try {
      return await request(url, { ...options, headersTimeout: timeout, bodyTimeout: timeout, signal: AbortSignal.timeout(timeout) } as Parameters<typeof request>[1]);
    } catch (error) {
      throw new AuthorizationServerUnavailableError((error as Error).message);
    }
  }
}
