import { Inject, Injectable } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../security.constants';
import type { SecurityOptions } from '../config/security-options';
import { ErrorCode, ForwardingError } from '../errors/security-errors';
import type { Principal } from '../verification/principal';

export interface ForwardOptions {
  method?: string;
  /** Serialized as JSON with `content-type: application/json`. */
  json?: unknown;
  headers?: Record<string, string>;
  /** Propagated unchanged so one request can be followed across services. */
  requestId?: string;
  traceparent?: string;
  timeoutMs?: number;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const PROTECTED_HEADERS = new Set(['authorization', 'host', 'cookie', 'x-request-id', 'traceparent']);

/**
 * Calls internal services with the caller's token (token sharing: the called service verifies the
 * same token itself and decides by its own rules, so identity is never just asserted). The token
 * only ever goes to a URL under one of INTERNAL_SERVICE_URLS (checked before any I/O); redirects
 * are refused, because following one would hand the token to wherever the Location points.
 */
@Injectable()
export class ServiceClient {
  private readonly bases: URL[];

  constructor(@Inject(SECURITY_OPTIONS) options: Pick<SecurityOptions, 'internalServiceUrls'>) {
    this.bases = options.internalServiceUrls.map((u) => new URL(u.endsWith('/') ? u : `${u}/`));
  }

  async fetch(principal: Pick<Principal, 'token'>, url: string, options: ForwardOptions = {}): Promise<Response> {
    const target = this.allowedTarget(url);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (!PROTECTED_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
    headers.authorization = `Bearer ${principal.token}`;
    if (options.requestId && REQUEST_ID.test(options.requestId)) headers['x-request-id'] = options.requestId;
    if (options.traceparent && TRACEPARENT.test(options.traceparent)) headers.traceparent = options.traceparent;
    if (options.json !== undefined) headers['content-type'] = 'application/json';

    const response = await fetch(target, {
      method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new ForwardingError(
        ErrorCode.UPSTREAM_REDIRECT,
        `${target.origin} answered ${response.status}; redirect not followed`,
        response.status,
      );
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const code = response.status === 401 ? ErrorCode.UPSTREAM_UNAUTHORIZED : ErrorCode.UPSTREAM_FORBIDDEN;
      throw new ForwardingError(
        code,
        `${target.origin}${target.pathname} rejected the forwarded token (${response.status})`,
        response.status,
      );
    }
    return response;
  }

  /** Same origin AND under the base path, after URL normalization (so `..` and `%2e%2e` cannot escape). */
  private allowedTarget(url: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new ForwardingError(ErrorCode.FORWARD_TARGET_NOT_ALLOWED, 'target is not an absolute URL');
    }
    const allowed =
      target.username === '' &&
      target.password === '' &&
      this.bases.some((base) => base.origin === target.origin && `${target.pathname}/`.startsWith(base.pathname));
    if (!allowed)
      throw new ForwardingError(
        ErrorCode.FORWARD_TARGET_NOT_ALLOWED,
        `${target.origin} is not in INTERNAL_SERVICE_URLS`,
      );
    return target;
  }
}
