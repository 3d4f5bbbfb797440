import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ByteUpstream {
  url: string;
  /** The bytes of each request body received, in order. */
  bodies: Buffer[];
  /** Settles when the next `.../stall/<bytes>` answer is closed (by the gateway letting go of it). */
  nextStallClosed(): Promise<void>;
  close(): Promise<void>;
}

export type Framing = 'content-length' | 'chunked';

/**
 * A JSON text of exactly `bytes` bytes (at least 64), the same for the same arguments: a problem
 * body for 4xx statuses, a data body otherwise, padded with a pseudo-random [a-z0-9] run so that a
 * lost, repeated or reordered piece changes the bytes.
 */
export function answerOfSize(status: number, bytes: number): Buffer {
  const head = status >= 400 ? `{"type":"about:blank","title":"Error","status":${status},"detail":"` : '{"data":"';
  const padding = bytes - head.length - 2;
  if (padding < 0) throw new Error(`an answer needs at least ${head.length + 2} bytes`);
  const out = Buffer.alloc(bytes);
  out.write(head, 0, 'latin1');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let seed = (bytes * 2654435761 + status) >>> 0;
  for (let i = 0; i < padding; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[head.length + i] = alphabet.charCodeAt((seed >>> 16) % alphabet.length);
  }
  out.write('"}', bytes - 2, 'latin1');
  return out;
}

/**
 * A real HTTP upstream on 127.0.0.1 (node:http, so that the framing of each answer is exactly the
 * test's choice). Matched on the path's last segments, whatever the service prefix:
 * - `.../sized/<status>/<bytes>/<framing>`: answerOfSize, with Content-Length or chunked (16 KiB
 *   chunks, the first ones sent before the rest is written, like a service that streams);
 * - `.../cut-off/<bytes>/<sent>`: promises `bytes` in Content-Length, sends `sent`, hangs up;
 * - `.../stall/<bytes>`: sends `bytes` of a chunked answer, then waits for more, forever;
 * - `.../raw-echo`: answers 200 with exactly the request body bytes it received;
 * - `.../unknown-fields`: answers like a platform service whose validation forbids unknown
 *   properties: 400 problem+json with one "property X should not exist" per member of the body.
 */
export async function startByteUpstream(): Promise<ByteUpstream> {
  const bodies: Buffer[] = [];
  const stallsClosed: Array<() => void> = [];
  const server = createServer((req, res) => {
    if (/\/stall\/\d+$/.test(req.url ?? '')) res.once('close', () => stallsClosed.shift()?.());
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body);
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    nextStallClosed: () => new Promise<void>((resolve) => stallsClosed.push(resolve)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const [path = ''] = (req.url ?? '').split('?'); // split() always yields a first element
  const sized = /\/sized\/(\d{3})\/(\d+)\/(content-length|chunked)$/.exec(path);
  if (sized) {
    const status = Number(sized[1]);
    const content = answerOfSize(status, Number(sized[2]));
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    if (sized[3] === 'content-length') {
      res.writeHead(status, { 'content-type': type, 'content-length': content.length }).end(content);
      return;
    }
    res.writeHead(status, { 'content-type': type });
    writeChunks(res, content, 0);
    return;
  }
  const cutOff = /\/cut-off\/(\d+)\/(\d+)$/.exec(path);
  if (cutOff) {
    const content = answerOfSize(200, Number(cutOff[1]));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': content.length });
    res.write(content.subarray(0, Number(cutOff[2])), () => setTimeout(() => res.destroy(), 20));
    return;
  }
  const stall = /\/stall\/(\d+)$/.exec(path);
  if (stall) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(answerOfSize(200, Number(stall[1])));
    return;
  }
  if (path.endsWith('/raw-echo')) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    return;
  }
  if (path.endsWith('/unknown-fields')) {
    const names = Object.keys(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
    const problem = JSON.stringify({
      type: 'about:blank',
      title: 'Bad request',
      status: 400,
      errors: names.map((name) => `property ${name} should not exist`),
    });
    res
      .writeHead(400, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(problem) })
      .end(problem);
    return;
  }
  res.writeHead(404, { 'content-length': 0 }).end();
}

/** 16 KiB per chunk, each written once the previous one is flushed: the answer really streams. */
function writeChunks(res: ServerResponse, content: Buffer, from: number): void {
  if (res.destroyed) return;
  if (from >= content.length) {
    res.end();
    return;
  }
  const to = Math.min(from + 16 * 1024, content.length);
  res.write(content.subarray(from, to), () => writeChunks(res, content, to));
}
