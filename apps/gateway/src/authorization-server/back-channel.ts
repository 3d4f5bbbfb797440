import { request } from 'undici';
import { AuthorizationServerUnavailableError } from './authorization-server-unavailable.error';

export interface BackChannelAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** Endpoints a browser is sent to; every other endpoint is one the gateway calls itself. */
const FRONT_CHANNEL_ENDPOINTS = new Set(['authorization_endpoint', 'end_session_endpoint']);

/**
 * The gateway's own calls to the authorization server as one confidential client (introspection
 * as `gateway`, the token handler as `gateway-bff`): client_secret_basic credentials, the discovery
 * document, and requests bounded by a timeout. Anything but an answer (network error, timeout,
 * unreadable discovery) is AuthorizationServerUnavailableError: callers fail closed with a 503.
 *
 * The gateway may reach the server by another URL than browsers do (`baseUrl`,
 * GATEWAY_AUTHORIZATION_SERVER_URL, e.g. an internal name, while the issuer is the public URL).
 * Servers differ in which of the two their discovery announces (oidc-provider builds endpoint
 * URLs from the request's host, others from the issuer), so both directions are mapped: an
 * endpoint for the browser never names the internal URL, and an endpoint the gateway calls
 * itself never leaves for the public one.
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

  /**
   * An endpoint URL named in discovery, e.g. `token_endpoint`, as its user reaches it: under the
   * issuer for a browser (`authorization_endpoint`), under `baseUrl` for the gateway itself.
   * Undefined when it is not there.
   */
  async endpoint(name: string): Promise<string | undefined> {
    const discovery = await this.discover();
    const value = discovery[name];
    if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
    const issuer =
      typeof discovery.issuer === 'string' && URL.canParse(discovery.issuer)
        ? discovery.issuer.replace(/\/$/, '')
        : undefined;
    if (!issuer) return value;
    return FRONT_CHANNEL_ENDPOINTS.has(name)
      ? rebase(value, this.baseUrl, issuer)
      : rebase(value, issuer, this.baseUrl);
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
    const res = await this.send(`${this.baseUrl}/.well-known/openid-configuration`, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    if (res.status !== 200) throw new AuthorizationServerUnavailableError(`discovery answered ${res.status}`);
    try {
      return JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      throw new AuthorizationServerUnavailableError('discovery is not JSON');
    }
  }

  private async send(
    url: string,
    options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<BackChannelAnswer> {
    const timeout = this.timeoutMs;
    try {
      const res = await request(url, {
        ...options,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      return {
        status: res.statusCode,
        contentType: String(res.headers['content-type'] ?? ''),
        text: await res.body.text(),
      };
    } catch (error) {
      throw new AuthorizationServerUnavailableError((error as Error).message);
    }
  }
}

/** `url` moved from under `from` to under `to`; unchanged when it is not under `from`. */
function rebase(url: string, from: string, to: string): string {
  const prefix = from.replace(/\/$/, '');
  if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) return url;
  return `${to.replace(/\/$/, '')}${url.slice(prefix.length)}`;
}
