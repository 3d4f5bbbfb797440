import type { IncomingHttpHeaders } from 'node:http';
import { DeniedException, GatewayErrorCode } from '../errors/gateway-errors';

/** Browsers add this header only from JavaScript, and cross-origin only after a CORS preflight we allow. */
export const CSRF_HEADER = 'x-zt-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Defence in depth for cookie-authenticated requests that change state: SameSite=Strict already
 * keeps the cookie off cross-site requests; on top, the Origin must be in GATEWAY_ALLOWED_ORIGINS
 * and the custom header must be present (a plain HTML form can send neither).
 */
export function assertCsrfSafe(method: string, headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): void {
  if (SAFE_METHODS.has(method)) return;
  const origin = headers.origin;
  if (typeof origin !== 'string' || !allowedOrigins.includes(origin)) {
    throw new DeniedException(403, 'Cross-site request refused', GatewayErrorCode.CSRF_ORIGIN);
  }
  if (headers[CSRF_HEADER] !== '1')
    throw new DeniedException(403, 'Cross-site request refused', GatewayErrorCode.CSRF_HEADER_MISSING);
}
