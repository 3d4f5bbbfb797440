import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server the test controls, counting every request. Point `jku`/`x5u`, redirects or a
 * non-allowlisted forwarding target at it, then assert `hits` stayed 0 (or inspect what arrived).
 */
export class SpyServer {
  readonly requests: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];

  private constructor(
    private readonly server: import('node:http').Server,
    readonly url: string,
  ) {}

  static async start(
    respond: (url: string, res: import('node:http').ServerResponse) => void = (_url, res) =>
      res.writeHead(200).end('{}'),
  ): Promise<SpyServer> {
    // Requests arrive only after listen() resolved, by which time `spy` is set.
    const server = createServer((req, res) => {
      spy.requests.push({ url: req.url ?? '', headers: req.headers });
      respond(req.url ?? '', res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const spy = new SpyServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return spy;
  }

  get hits(): number {
    return this.requests.length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
