import { createHash, type X509Certificate } from 'node:crypto';
import type { CallerIdentity } from '../verification/caller-identity';

/** The parts of a node:tls TLSSocket read here (a plain net.Socket has none of them). */
interface MaybeTlsSocket {
  encrypted?: boolean;
  authorized?: boolean;
  getPeerX509Certificate?(): X509Certificate | undefined;
}

/** A Fastify request (`raw` is Node's IncomingMessage) or an Express / Node request (`socket`). */
interface RequestLike {
  raw?: { socket?: unknown };
  socket?: unknown;
}

/** SPIFFE id: `spiffe://<trust domain>/<path>` with the spec's character sets (no query, fragment, port or user). */
const SPIFFE_ID = /^spiffe:\/\/([a-z0-9._-]+)\/([A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)$/;
/** One entry of Node's `subjectAltName`: `TYPE:value`, where a value with special characters is a JSON string. */
const SAN_ENTRY = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/y;

/**
 * Parsing an X.509 certificate costs far more than checking a token from the cache, and a keep-alive
 * connection carries many requests with the same certificate: one identity per socket, dropped with
 * the socket. `null` remembers "verified certificate, but none we can read".
 */
const identities = new WeakMap<object, CallerIdentity | null>();

/**
 * The caller's identity from the connection of `request`: only when the socket is TLS AND the
 * server's TLS stack verified the client certificate against its CA (`authorized`). A certificate
 * the server did not verify (`rejectUnauthorized: false` with an unknown CA), plain HTTP or TLS
 * without a client certificate all give `undefined`: no identity, and a bound token is refused.
 */
export function callerIdentityOf(request: unknown): CallerIdentity | undefined {
  const socket = socketOf(request);
  // `authorized` is read on every request, never memoised: it is what makes the identity trustworthy.
  if (socket?.encrypted !== true || socket.authorized !== true) return undefined;
  let identity = identities.get(socket);
  if (identity === undefined) {
    const certificate = socket.getPeerX509Certificate?.();
    identity = certificate ? identityFromCertificate(certificate) : null;
    identities.set(socket, identity);
  }
  return identity ?? undefined;
}

/** Thumbprint (RFC 8705 `x5t#S256`) and SPIFFE identity of a certificate. */
export function identityFromCertificate(certificate: X509Certificate): CallerIdentity {
  const spiffe = spiffeIdOf(certificate.subjectAltName);
  return Object.freeze({
    thumbprint: createHash('sha256').update(certificate.raw).digest('base64url'),
    ...(spiffe && { spiffeId: spiffe[0], trustDomain: spiffe[1], workload: spiffe[2] }),
  });
}

/**
 * The X.509-SVID rule: exactly one URI SAN, and it is a SPIFFE id. A certificate with several URIs
 * names no single workload, so it names none (its thumbprint still binds tokens).
 */
export function spiffeIdOf(subjectAltName: string | undefined): [string, string, string] | undefined {
  const [uri, ...others] = sanEntries(subjectAltName ?? '').filter(([type]) => type === 'URI');
  if (uri === undefined || others.length > 0) return undefined;
  const match = SPIFFE_ID.exec(uri[1]);
  return match ? (match.slice(0, 3) as [string, string, string]) : undefined;
}

/** Node quotes a SAN value holding `,` or `"` as a JSON string, so a crafted value cannot fake a second entry. */
function sanEntries(subjectAltName: string): [string, string][] {
  const entries: [string, string][] = [];
  SAN_ENTRY.lastIndex = 0;
  while (SAN_ENTRY.lastIndex < subjectAltName.length) {
    const match = SAN_ENTRY.exec(subjectAltName);
    if (!match) return [];
    const [, type, raw] = match as unknown as [string, string, string];
    entries.push([type, raw.startsWith('"') ? (JSON.parse(raw) as string) : raw]);
  }
  return entries;
}

function socketOf(request: unknown): MaybeTlsSocket | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  const { raw, socket } = request as RequestLike;
  const candidate = raw?.socket ?? socket;
  return candidate !== null && typeof candidate === 'object' ? (candidate as MaybeTlsSocket) : undefined;
}
