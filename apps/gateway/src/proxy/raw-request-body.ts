import type { IncomingMessage } from 'node:http';
import { finished, Transform } from 'node:stream';
import type { FastifyRequest, preParsingHookHandler } from 'fastify';

/**
 * The bytes of a request body exactly as the client sent them, kept beside the parsed body.
 *
 * Why: an API body is forwarded as the client wrote it, never re-encoded from the parsed value.
 * Re-encoding recursed (JSON.stringify threw RangeError on a body nested some thousands of levels:
 * a 500 from the gateway), cost CPU on every body, and could differ from what was sent (number
 * formats, duplicate names). The gateway's parser still runs first, so a body the gateway refuses
 * (too large, malformed, beyond its JSON shape limits) is never forwarded.
 */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/**
 * A `preParsing` hook for the routes whose bodies are forwarded: the payload passes through to the
 * parser unchanged while its chunks are kept, up to the route's body limit (beyond it the parser
 * refuses the body with 413 and nothing is forwarded, so nothing more is kept).
 */
export const keepRawBody: preParsingHookHandler = (req, _reply, payload, done) => {
  if (!hasBody(req)) {
    done(null, payload);
    return;
  }
  const limit = req.routeOptions.bodyLimit;
  let chunks: Buffer[] | undefined = [];
  let bytes = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      bytes += chunk.length;
      if (bytes > limit) chunks = undefined;
      else chunks?.push(chunk);
      next(null, chunk);
    },
    flush(next) {
      if (chunks) rawBodies.set(req.raw, Buffer.concat(chunks, bytes));
      next();
    },
  });
  // A client that fails or hangs up mid-body must fail the parse, as it would without this stream.
  finished(payload, (error) => {
    if (error) tee.destroy(error);
  });
  payload.pipe(tee);
  done(null, tee);
};

/** The body bytes the client sent, when keepRawBody saw a body on this request. */
export function rawRequestBody(req: FastifyRequest): Buffer | undefined {
  return rawBodies.get(req.raw);
}

/** Bodies of GET, HEAD and OPTIONS are never forwarded, so never kept. */
const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Only a JSON body is ever forwarded, so only a JSON body is kept. Any other type must pass
 * untouched: Fastify refuses it with 415 without reading it, and Node then discards the unread
 * body so the keep-alive connection can carry the next request. Piped into the tee, it was
 * "being consumed" and never discarded: the tee filled up, the body stopped flowing, and the next
 * request on that connection got no answer until the keep-alive timeout.
 */
function hasBody(req: FastifyRequest): boolean {
  if (NO_BODY.has(req.method)) return false;
  const type = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') return false;
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
