import Fastify, { type FastifyInstance } from 'fastify';

export interface EchoedRequest {
  upstream: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface EchoUpstream {
  url: string;
  requests: EchoedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP upstream on 127.0.0.1 that answers with what it received (method, path, headers,
 * body), so tests see exactly what the gateway forwarded. `/boom` fails like a careless service,
 * `/truncated` hangs up in the middle of its answer.
 */
export async function startEchoUpstream(name: string): Promise<EchoUpstream> {
  const app: FastifyInstance = Fastify();
  const requests: EchoedRequest[] = [];
  app.all('/*', async (req, reply) => {
    const echoed = { upstream: name, method: req.method, url: req.url, headers: req.headers, body: req.body ?? null };
    requests.push(echoed);
    if (req.url.endsWith('/truncated')) {
      // Promises 100 bytes, sends 10, hangs up: a service that dies while answering.
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      reply.raw.write('{"partial"');
      setTimeout(() => reply.raw.destroy(), 10);
      return;
    }
    if (req.url.endsWith('/boom')) {
      return reply
        .code(500)
        .header('x-powered-by', 'leaky')
        .send({ error: 'TypeError: x is undefined', stack: 'at Object.<anonymous> (/srv/app.js:1:1)' });
    }
    return reply.header('set-cookie', 'upstream=1; Path=/').header('server', 'echo/1.0').send(echoed);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => app.close() };
}
