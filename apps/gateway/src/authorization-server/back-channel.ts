import { request } from 'undici';
import { AuthorizationServerUnavailableError } from '../phantom-token/authorization-server-unavailable.error';

export interface BackChannelAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * The gateway's own calls to the authorization server as one confidential client (introspection
 * as `gateway`, the token handler as `gateway-bff`): client_secret_basic credentials, the discovery
 * document, and requests bounded by a timeout. Anything but an answer (network error, timeout,
 * unreadable discovery) is AuthorizationServerUnavailableError: callers fail closed with a 503.
 */
export class AuthorizationServerBackChannel {
  private discovery?: Promise<Record<string, unknown>>;
  private readonly basic: string;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    client: { clientId: string; clientSecret: string },
  ) {
    // RFC 6749 §2.3.1: form-encode id and secret before Basic.
    this.basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  }

  /** The discovery document, fetched once (`fresh`: fetched again); a failed fetch is not remembered. */
  discover(fresh = false): Promise<Record<string, unknown>> {
    if (fresh) this.discovery = undefined;
    this.discovery ??= this.fetchDiscovery().catch((error: unknown) => {
      this.discovery = undefined;
      throw error;
    });
    return this.discovery;
  }

  /** An endpoint URL named in discovery, e.g. `token_endpoint`; undefined when it is not there. */
  async endpoint(name: string): Promise<string | undefined> {
    const value = (await this.discover())[name];
    return typeof value === 'string' && URL.canParse(value) ? value : undefined;
  }

  /** A form POST with the client's credentials. */
  postForm(url: string, form: Record<string, string>, accept: string): Promise<BackChannelAnswer> {
    return this.send(url, {
      method: 'POST',
      headers: { authorization: this.basic, accept, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  private async fetchDiscovery(): Promise<Record<string, unknown>> {
    const res = await this.send(`${this.baseUrl}/.well-known/openid-configuration`, { method: 'GET', headers: { accept: 'application/json' } });
    if (res.status !== 200) throw new AuthorizationServerUnavailableError(`discovery answered ${res.status}`);
    try {
      return JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      throw new AuthorizationServerUnavailableError('discovery is not JSON');
    }
  }

  private async send(url: string, options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<BackChannelAnswer> {
    const timeout = this.timeoutMs;
    try {
      const res = await request(url, { ...options, headersTimeout: timeout, bodyTimeout: timeout, signal: AbortSignal.timeout(timeout) });
      return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
    } catch (error) {
      throw new AuthorizationServerUnavailableError((error as Error).message);
    }
  }
}
