// New TLS connections per second on one listener: `concurrency` loops, each opening a connection,
// completing the handshake (the server's certificate checked against the platform CA and its IP
// SAN), waiting for the server's session ticket after a full handshake, and closing. wrk cannot measure this: it keeps
// its connections and never resumes a session. With `resume`, every loop offers the last ticket
// it received (TLS 1.3 PSK resumption, or a TLS 1.2 ticket); the reused share is counted, so a
// server that ignores tickets shows 0% rather than a flattering figure.
import { connect } from 'node:tls';
import { performance } from 'node:perf_hooks';

// A server that sends no ticket (or sends it late) must not stall a loop.
const TICKET_WAIT_MS = 200;

function oneConnection({ port, ca, session }) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, session, minVersion: 'TLSv1.2' });
    let ticket;
    let timer;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const reused = socket.isSessionReused();
      const protocol = socket.getProtocol();
      socket.destroy();
      resolve({ reused, ticket, protocol });
    };
    // TLS 1.2 hands the ticket over during the handshake, TLS 1.3 right after it. A full handshake
    // waits for it (the server's cost of issuing it is part of a new connection); a resumed one
    // keeps offering the ticket it came with (servers with stateless tickets accept it again).
    socket.once('session', (value) => ((ticket = value), socket.authorized && finish()));
    socket.once('secureConnect', () => {
      if (ticket || socket.isSessionReused()) finish();
      else timer = setTimeout(finish, TICKET_WAIT_MS);
    });
    socket.once('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * @param {{port: number, ca: string, seconds: number, concurrency: number, resume: boolean}} options
 * @returns {Promise<{connections: number, reused: number, seconds: number, protocol: string}>}
 */
export async function handshakeLoad({ port, ca, seconds, concurrency, resume }) {
  const started = performance.now();
  const until = started + seconds * 1000;
  let connections = 0;
  let reused = 0;
  let protocol = '';
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let session;
      while (performance.now() < until) {
        const r = await oneConnection({ port, ca, session: resume ? session : undefined });
        connections += 1;
        if (r.reused) reused += 1;
        if (r.ticket) session = r.ticket;
        protocol = r.protocol;
      }
    }),
  );
  return { connections, reused, protocol, seconds: (performance.now() - started) / 1000 };
}
