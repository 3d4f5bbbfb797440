// The compose network without Docker: each service gets its own loopback address (127.0.0.11,
// .12, ... in file order), its name resolves to it inside the platform's Node processes (see
// netns-preload.cjs), and each published port is a TCP forward from the host address/port to the
// service's address/port, as docker-proxy does.
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const FIRST_HOST = 11;
const PRELOAD = path.join(path.dirname(new URL(import.meta.url).pathname), 'netns-preload.cjs');

export class ComposeNetwork {
  constructor(services, stateDir) {
    if (services.length > 254 - FIRST_HOST) throw new Error('too many services for the 127.0.0.x addresses');
    this.hosts = Object.fromEntries(services.map((s, i) => [s.name, `127.0.0.${FIRST_HOST + i}`]));
    this.dir = path.join(stateDir, 'netns');
    this.forwards = [];
    mkdirSync(this.dir, { recursive: true });
    for (const s of services) writeFileSync(this.fileOf(s.name), JSON.stringify({ self: s.name, hosts: this.hosts }));
  }

  addressOf(name) {
    return this.hosts[name];
  }

  fileOf(name) {
    return path.join(this.dir, `${name}.json`);
  }

  /** What puts a Node process into the service's namespace. */
  namespaceEnv(name, nodeOptions = '') {
    return {
      NODE_OPTIONS: `--require "${PRELOAD}"${nodeOptions ? ` ${nodeOptions}` : ''}`,
      COMPOSE_NETNS_FILE: this.fileOf(name),
    };
  }

  /** Every address can be bound (Linux routes all of 127/8 to loopback; macOS needs aliases). */
  async checkAddresses() {
    for (const [name, address] of Object.entries(this.hosts)) {
      const error = await tryListen(address, 0);
      if (error)
        throw new Error(
          `cannot bind ${address} for ${name} (${error.code ?? error.message}); on macOS add it first: sudo ifconfig lo0 alias ${address} up`,
        );
    }
  }

  /** Published ports must be free before anything starts: a clear error instead of a half-started stack. */
  async checkPublished(services) {
    for (const s of services) {
      for (const p of s.ports) {
        const error = await tryListen(p.hostIp, p.hostPort);
        if (error) {
          const why =
            error.code === 'EADDRINUSE'
              ? 'is already in use by another process (is `npm run demo` or another compose run up?)'
              : `cannot be opened (${error.code ?? error.message})`;
          throw new Error(
            `${s.name}: published port ${p.hostIp}:${p.hostPort} ${why}; stop what uses it and try again`,
          );
        }
      }
    }
  }

  /** Opens the service's published ports: host address/port -> service address/port. */
  async publish(service) {
    for (const p of service.ports) {
      const target = { host: this.addressOf(service.name), port: p.containerPort };
      const sockets = new Set();
      const server = net.createServer((client) => {
        const upstream = net.connect(target);
        sockets.add(client).add(upstream);
        client.on('close', () => sockets.delete(client));
        upstream.on('close', () => sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', close);
        upstream.on('error', close);
      });
      await new Promise((resolve, reject) => {
        server.once('error', (error) =>
          reject(
            new Error(`${service.name}: cannot publish ${p.hostIp}:${p.hostPort} (${error.code ?? error.message})`),
          ),
        );
        server.listen(p.hostPort, p.hostIp, resolve);
      });
      this.forwards.push({ server, sockets });
    }
  }

  async close() {
    await Promise.all(
      this.forwards.splice(0).map(({ server, sockets }) => {
        const closed = new Promise((r) => server.close(() => r()));
        for (const socket of sockets) socket.destroy();
        return closed;
      }),
    );
  }
}

function tryListen(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', resolve);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
