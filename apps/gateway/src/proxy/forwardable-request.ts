import type { FastifyRequest } from 'fastify';
import { DeniedException, GatewayErrorCode } from '../errors/gateway-errors';

/** Dot segments and encoded separators could move a request to another path on the upstream. */
const UNSAFE_PATH = /(^|\/)\.{1,2}(\/|$)|%2e|%2f|%5c|\\|%00/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The public path without `/api` (the upstream's own path), or a refusal. */
export function upstreamPath(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (UNSAFE_PATH.test(path))
    throw new DeniedException(400, 'The request path is not allowed', GatewayErrorCode.PATH_UNSAFE);
  return path.slice('/api'.length);
}

/** API routes speak JSON only: anything else is refused before it reaches a service. */
export function assertJsonBody(req: FastifyRequest): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !BODY_METHODS.has(req.method)) return;
  // split() always yields a first element; the default only satisfies the type checker.
  const [mediaType = ''] = (req.headers['content-type'] ?? '').split(';');
  const type = mediaType.trim().toLowerCase();
  if (type !== 'application/json')
    throw new DeniedException(415, 'Only application/json is accepted', GatewayErrorCode.CONTENT_TYPE);
}
