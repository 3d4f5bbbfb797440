import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Headers a client could use to pose as someone else to a service that (wrongly) trusts them:
 * identity and forwarding headers are set by the gateway or not at all. The gateway's own
 * cookies never leave it (they hold the session), and the credential is replaced by the JWT.
 */
const SPOOFABLE_PREFIXES = [
  'x-user-',
  'x-forwarded-',
  'x-auth',
  'x-internal-',
  'x-principal',
  'x-client-',
  'x-gateway-',
  'x-zt-',
  'x-consumer-',
  'x-original-',
];
const SPOOFABLE = new Set([
  'forwarded',
  'x-real-ip',
  'x-request-id',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'x-subject',
  'x-scopes',
  'x-region',
  'cookie',
  'authorization',
  'host',
]);

const NONE: ReadonlySet<string> = new Set();

function listedInConnection(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const value = headers.connection;
  if (value === undefined || value === 'keep-alive' || value === 'close') return NONE;
  return new Set(
    (Array.isArray(value) ? value.join(',') : (value ?? ''))
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

function isSpoofable(name: string): boolean {
  if (SPOOFABLE.has(name)) return true;
  for (const prefix of SPOOFABLE_PREFIXES) if (name.startsWith(prefix)) return true;
  return false;
}

/** What the upstream receives: the client's harmless headers plus what the gateway vouches for. */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  vouched: { jwt?: string; requestId: string; clientIp: string; proto: string; cookie?: string },
): OutgoingHttpHeaders {
  const connectionListed = listedInConnection(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const name of Object.keys(incoming)) {
    if (HOP_BY_HOP.has(name) || connectionListed.has(name) || isSpoofable(name)) continue;
    out[name] = incoming[name];
  }
  if (vouched.jwt) out.authorization = `Bearer ${vouched.jwt}`;
  if (vouched.cookie) out.cookie = vouched.cookie;
  out['x-request-id'] = vouched.requestId;
  out['x-forwarded-for'] = vouched.clientIp;
  out['x-forwarded-proto'] = vouched.proto;
  return out;
}

/** Response headers: hop-by-hop out; APIs may not set cookies on the gateway's origin; no server banners. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders, allowCookies: boolean): IncomingHttpHeaders {
  const connectionListed = listedInConnection(upstream);
  const out: IncomingHttpHeaders = {};
  for (const name of Object.keys(upstream)) {
    if (HOP_BY_HOP.has(name) || connectionListed.has(name) || name === 'server' || name === 'x-powered-by') continue;
    if (name === 'set-cookie' && !allowCookies) continue;
    out[name] = upstream[name];
  }
  return out;
}
