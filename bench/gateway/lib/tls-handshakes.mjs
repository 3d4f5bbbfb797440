// (T4) New TLS connections per second on a listener, full handshakes and resumed sessions, in
// alternating rounds like the throughput rows; the listener's CPU time per connection is read
// from /proc as for requests. The connections come from the 'tls clients' role (handshake-load.mjs).
import { ask } from './procs.mjs';
import { roundOrder } from './stats.mjs';
import { cpuMicros } from './wrk.mjs';

export const MODES = ['new', 'resumed'];

/**
 * @param listeners name -> {port, pid}: every TLS listener to measure
 * @returns name -> mode -> per round {rate, cpu (us per connection), reusedShare}
 */
export async function handshakeRounds(clients, listeners, { ca, rounds, seconds, concurrency, until }) {
  const runs = Object.keys(listeners).flatMap((name) => MODES.map((mode) => [name, mode]));
  const results = Object.fromEntries(Object.keys(listeners).map((name) => [name, { new: [], resumed: [] }]));
  for (let round = 0; round < rounds && (round < 1 || Date.now() < until); round++) {
    for (const [name, mode] of roundOrder(runs, round)) {
      const { port, pid } = listeners[name];
      const before = cpuMicros(pid);
      const r = await ask(
        clients,
        { type: 'handshakes', port, ca, seconds, concurrency, resume: mode === 'resumed' },
        seconds * 1000 + 30_000,
      );
      const cpu = (cpuMicros(pid) - before) / r.connections;
      const reusedShare = r.reused / r.connections;
      results[name][mode].push({ rate: r.connections / r.seconds, cpu, reusedShare, protocol: r.protocol });
    }
  }
  return results;
}
