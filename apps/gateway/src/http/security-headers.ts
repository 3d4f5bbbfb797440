import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers, computed ONCE at start-up. @fastify/helmet builds a new helmet
 * middleware on every request (re-parsing the CSP directives each time), yet for the gateway
 * the header set never varies by request: so helmet itself produces the values here, against a
 * recording response, and the gateway copies the resulting object onto every reply.
 */
export function helmetHeaders(options?: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => (failure = error));
  if (failure) throw failure;
  return Object.freeze(headers);
}

/**
 * The API routes answer JSON, never a page: helmet configured after the OWASP REST Security Cheat
 * Sheet (nothing may load or frame an API answer: `default-src 'none'; frame-ancestors 'none'`,
 * `X-Frame-Options: DENY`, nosniff, HSTS, same-origin CORP, no referrer). The headers that only
 * mean something for HTML documents (cross-origin opener, DNS prefetch, download options,
 * Flash/PDF policies, the legacy XSS auditor) are left out: fewer headers on every API answer.
 */
export const API_HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};
