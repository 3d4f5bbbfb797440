// The TLS roles of tls.bench.mjs, forked by procs.mjs through roles.mjs like the others: the
// upstream API as an internal listener (mutual TLS: a client certificate from the platform CA
// required, as every internal app of the platform demands), the bare undici hop with TLS on both
// sides (the least a Node proxy pays for TLS), and a generator of new TLS connections.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createRequire } from 'node:module';
import { bareHop } from './bare-hop.mjs';
import { handshakeLoad } from './handshake-load.mjs';

const require = createRequire(import.meta.url);

/** @param {{cert: string, key: string, ca: string}} files PEM file paths */
export const readPem = (files) =>
  Object.fromEntries(Object.entries(files).map(([k, f]) => [k, readFileSync(f, 'utf8')]));

function listen(server) {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

export const tlsRoles = {
  /** The API behind every TLS proxy: the plaintext upstream's answer, over mutual TLS only. */
  'tls upstream'({ tls }) {
    const { cert, key, ca } = readPem(tls);
    const body = JSON.stringify({ id: 'acc_1', balance: '10.00' });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const options = { cert, key, ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' };
    listen(
      createServer(options, (req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(200, headers).end(body));
      }),
    );
  },

  /** The bare hop of (1) with TLS from the client and a mutual-TLS keep-alive pool to the upstream. */
  'tls bare'({ upstreamPort, tls }) {
    const { Pool } = require('undici');
    const { cert, key, ca } = readPem(tls);
    const pool = new Pool(`https://127.0.0.1:${upstreamPort}`, {
      connections: 128,
      connect: { cert, key, ca, minVersion: 'TLSv1.2' },
    });
    listen(createServer({ cert, key, minVersion: 'TLSv1.2' }, bareHop(pool)));
  },

  /** New TLS connections on demand: answers each {type: 'handshakes', ...} message with its counts. */
  'tls clients'() {
    process.on('message', async (message) => {
      try {
        process.send(await handshakeLoad(message));
      } catch (error) {
        process.send({ error: error.message });
      }
    });
    process.send({ ready: true });
  },
};
