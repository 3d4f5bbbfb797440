// The printed result of tls.bench.mjs: the TLS chain against nginx and HAProxy with the same TLS,
// against the same gateway in plaintext, and new TLS connections per second; medians with their
// min-max over rounds, each ratio paired within a round, next to its target (issue 13, Performance).
import { fixed, median, spread, target } from './stats.mjs';

const LABELS = {
  gateway: 'gateway, plaintext',
  'gateway tls': 'gateway, TLS chain',
  'gateway tls edge': 'gateway, TLS from client only',
  bare: 'bare undici proxy, plaintext',
  'bare tls': 'bare undici proxy, TLS chain',
  nginx: 'nginx, plaintext',
  'nginx tls': 'nginx, TLS chain',
  haproxy: 'HAProxy jwt_verify, plaintext',
  'haproxy tls': 'HAProxy jwt_verify, TLS chain',
};
const label = (name) => LABELS[name] ?? name;
const perRound = (tp, a, b, field) => tp[a].map((r, i) => r[field] / tp[b][i][field]);

export function printTlsThroughput(tp) {
  console.log(
    '\nthroughput, wrk closed loop: req/s (min-max) | CPU us per request of the proxy process (min-max) [of its upstream]',
  );
  for (const [name, runs] of Object.entries(tp)) {
    const rps = spread(
      runs.map((r) => r.rps),
      0,
    );
    const cpu = spread(
      runs.map((r) => r.cpu),
      1,
    );
    const up = fixed(median(runs.map((r) => r.upstreamCpu)), 1);
    console.log(`  ${label(name).padEnd(30)} ${rps.padStart(19)} | ${cpu.padStart(17)} us [${up}]`);
  }
}

export function printTlsRatios(tp) {
  const have = (...names) => names.every((n) => tp[n]);
  const row = (title, a, b, bound) => {
    if (!have(a, b)) return console.log(`${title}: skipped (${[a, b].filter((n) => !tp[n]).join(', ')} not measured)`);
    const rps = perRound(tp, a, b, 'rps');
    const cpu = perRound(tp, a, b, 'cpu');
    const goal = bound === undefined ? '[figure]' : target(median(rps), '>=', bound);
    console.log(`${title}, req/s: ${spread(rps)} ${goal}; CPU per request: ${spread(cpu)}x`);
  };
  console.log('');
  row('(T1) gateway TLS chain / nginx TLS chain', 'gateway tls', 'nginx tls');
  row('(T2) gateway TLS chain / HAProxy jwt_verify RS256 TLS chain', 'gateway tls', 'haproxy tls', 0.6);
  row('(T3) gateway TLS chain / the same gateway in plaintext', 'gateway tls', 'gateway', 0.85);
  if (have('gateway tls', 'gateway')) {
    const added = tp['gateway tls'].map((r, i) => r.cpu - tp.gateway[i].cpu);
    console.log(`    TLS on both sides adds ${spread(added, 1)} us of gateway CPU per request`);
  }
  if (have('gateway tls', 'gateway tls edge', 'gateway')) {
    const edge = tp['gateway tls edge'].map((r, i) => r.cpu - tp.gateway[i].cpu);
    const pool = tp['gateway tls'].map((r, i) => r.cpu - tp['gateway tls edge'][i].cpu);
    const edgeRps = perRound(tp, 'gateway tls edge', 'gateway', 'rps');
    console.log(
      `    of which TLS from the client: ${spread(edge, 1)} us (req/s ${spread(edgeRps)}x plaintext); the mutual-TLS pool to the upstream: ${spread(pool, 1)} us`,
    );
  }
  const context = [
    ['bare undici', 'bare'],
    ['nginx', 'nginx'],
    ['HAProxy', 'haproxy'],
  ]
    .filter(([, n]) => have(n, `${n} tls`))
    .map(([who, n]) => {
      const rps = perRound(tp, `${n} tls`, n, 'rps');
      const cpu = tp[`${n} tls`].map((r, i) => r.cpu - tp[n][i].cpu);
      return `${who} ${spread(rps)} (+${fixed(median(cpu), 1)} us)`;
    });
  if (context.length)
    console.log(
      `    context: TLS chain / plaintext for the others, req/s (added CPU per request): ${context.join('; ')}`,
    );
  if (have('bare tls', 'haproxy tls'))
    console.log(
      `    context: bare undici TLS chain / HAProxy TLS chain, req/s: ${spread(perRound(tp, 'bare tls', 'haproxy tls', 'rps'))} (the most a Node hop reaches here)`,
    );
}

/** @param hs name -> mode -> rounds, from handshakeRounds */
export function printHandshakes(hs, { seconds, concurrency }) {
  const first = Object.values(hs)[0]?.new[0];
  console.log(
    `\n(T4) new TLS connections per second (${concurrency} client loops in one Node process, ${seconds} s per run, handshake + session ticket, no request${first ? `, ${first.protocol}` : ''}; CPU us per connection of the listener process):`,
  );
  for (const [name, modes] of Object.entries(hs)) {
    const cell = (mode) => {
      const runs = modes[mode];
      const reused = mode === 'resumed' ? `, ${fixed(median(runs.map((r) => r.reusedShare)) * 100, 0)}% resumed` : '';
      return `${spread(
        runs.map((r) => r.rate),
        0,
      )}/s at ${fixed(median(runs.map((r) => r.cpu)), 0)} us${reused}`;
    };
    const main = name === 'gateway tls' ? " (the gateway's public listener)" : ' (context)';
    console.log(`  ${label(name).padEnd(30)} full handshake ${cell('new')}; resumed ${cell('resumed')}${main}`);
  }
}
