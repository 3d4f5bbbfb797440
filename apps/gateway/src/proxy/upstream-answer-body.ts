import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { GatewayErrorCode } from '../errors/gateway-errors';

/**
 * Answers up to this size are read whole before the client gets any header, so an upstream that
 * dies mid-answer becomes a clean 502/504 problem. Most API answers are far smaller, and one
 * write of headers and body is also the cheapest way to send them.
 */
export const READ_WHOLE_BYTES = 64 * 1024;

/** The upstream answered more than the gateway passes on (GATEWAY_MAX_RESPONSE_BYTES). */
export class UpstreamAnswerTooLargeError extends Error {
  readonly reason = GatewayErrorCode.UPSTREAM_ANSWER_TOO_LARGE;

  constructor(readonly maxBytes: number) {
    super(`the upstream answer is larger than ${maxBytes} bytes`);
    this.name = 'UpstreamAnswerTooLargeError';
  }
}

type AnswerBody = Dispatcher.ResponseData['body'];

/**
 * What the client gets as the body of an upstream answer: a Buffer when the answer was read whole
 * (so any failure so far is still the gateway's to answer), or a stream for larger answers.
 *
 * - Announced over `maxBytes` (Content-Length): refused before a byte is read or sent.
 * - Up to READ_WHOLE_BYTES: read whole first, whatever the framing.
 * - Larger: the first READ_WHOLE_BYTES are read ahead (an upstream failing before that is still a
 *   problem answer), then the rest is streamed, never held whole in memory. A failure from then on
 *   (upstream cut off, or an unsized answer growing over `maxBytes`) destroys the stream: Fastify
 *   then destroys the client connection, which the client sees as a broken transfer (a body shorter
 *   than its Content-Length, or chunks without their last one), never as a complete answer.
 *
 * `contentLength` is the upstream's header (absent: an unsized, chunked answer).
 * Errors: UpstreamAnswerTooLargeError, or undici's body errors (timeout, socket closed).
 * `onStreamFailure` hears of failures after the headers are committed (for the log).
 */
export async function clientAnswerBody(
  body: AnswerBody,
  contentLength: string | string[] | undefined,
  maxBytes: number,
  onStreamFailure: (error: Error) => void,
): Promise<Buffer | Readable> {
  const announced =
    typeof contentLength === 'string' && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined;
  if (announced !== undefined && announced > maxBytes) {
    discard(body);
    throw new UpstreamAnswerTooLargeError(maxBytes);
  }
  if (announced !== undefined && announced <= READ_WHOLE_BYTES) return Buffer.from(await body.arrayBuffer());

  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let bytes = 0;
  try {
    while (bytes <= READ_WHOLE_BYTES) {
      const next = await chunks.next();
      if (next.done) return Buffer.concat(head, bytes);
      bytes += next.value.length;
      if (bytes > maxBytes) throw new UpstreamAnswerTooLargeError(maxBytes);
      head.push(next.value);
    }
  } catch (error) {
    discard(body);
    throw error;
  }
  return streamRest(body, chunks, head, bytes, maxBytes, onStreamFailure);
}

/**
 * The read-ahead chunks, then the rest of the upstream body as it arrives, counted against the
 * maximum. Not an async generator (Readable.from): a generator waiting for the upstream's next
 * chunk cannot be stopped, so a client that went away would hold the upstream until that chunk.
 */
function streamRest(
  body: AnswerBody,
  chunks: AsyncIterator<Buffer>,
  head: Buffer[],
  bytes: number,
  maxBytes: number,
  onFailure: (error: Error) => void,
): Readable {
  const stream = new Readable({
    read() {
      chunks.next().then(
        (next) => {
          if (stream.destroyed) return;
          if (next.done) {
            stream.push(null);
            return;
          }
          bytes += next.value.length;
          // A sized answer was checked against the maximum before, and undici ends it at its
          // Content-Length: only an unsized one can grow past the maximum here.
          if (bytes > maxBytes) stream.destroy(new UpstreamAnswerTooLargeError(maxBytes));
          else stream.push(next.value);
        },
        (error: Error) => {
          if (!stream.destroyed) stream.destroy(error);
        },
      );
    },
    destroy(error, callback) {
      // The client went away (Fastify destroys this stream) or the upstream failed: let go of it.
      discard(body);
      callback(error);
    },
  });
  for (const chunk of head) stream.push(chunk);
  stream.once('error', onFailure);
  return stream;
}

/**
 * Lets go of an upstream body the gateway will not read (its connection is closed). Destroying an
 * unfinished undici body emits an error (RequestAbortedError) that nobody is listening for any more.
 */
function discard(body: AnswerBody): void {
  if (body.destroyed) return;
  body.on('error', () => undefined);
  body.destroy();
}
