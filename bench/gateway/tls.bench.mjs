// Benchmark of the gateway chain over TLS (issue 13, Performance): prints RATIOS of scenarios
// measured side by side in one run (medians of rounds in alternating order, with their min-max).
// Run: npm run bench -- gateway   (runs proxy.bench.mjs too; BENCH_QUICK=1: a smoke run)
//   (T1) gateway with TLS on both sides / nginx, (T2) / HAProxy jwt_verify RS256, with the same TLS:
//        TLS 1.2/1.3 from the client with keep-alive, a mutual-TLS keep-alive pool to the upstream
//        (the proxy presents the gateway's workload certificate; the upstream requires one from the
//        platform CA, as every internal listener does)
//   (T3) the TLS chain / the same gateway in plaintext, and the TLS cost of the other proxies
//   (T4) new TLS connections per second on the gateway's public listener, full and resumed
// The gateway gets TLS only through its settings (TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE);
// certificates from the development PKI in tmp/bench-pki. Parts: bench/gateway/lib/tls-*.mjs.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { throughputRounds, warmUp } from './lib/phases.mjs';
import { startBenchRun } from './lib/bench-run.mjs';
import { stopAll } from './lib/procs.mjs';
import { handshakeRounds } from './lib/tls-handshakes.mjs';
import { printHandshakes, printTlsRatios, printTlsThroughput } from './lib/tls-report.mjs';
import { PKI_DIR, tlsSetup } from './lib/tls-setup.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
// A full run takes about 3 minutes on 2 cores, a quick one about 1.
const P = QUICK
  ? { deadline: 150, rounds: 3, seconds: 1, hsRounds: 2, hsSeconds: 1 }
  : { deadline: 360, rounds: 6, seconds: 2, hsRounds: 3, hsSeconds: 2 };
const CONNECTIONS = 32;
const HANDSHAKE_CLIENTS = 8;

const { dir, removeDir, elapsed, progress, until, skipped, load, loadBefore } = startBenchRun(
  'gateway TLS bench',
  P.deadline,
);

try {
  progress(
    `certificates in ${path.relative(process.cwd(), PKI_DIR)}; starting the authorization server, 2 upstreams, 9 proxies`,
  );
  const { scenarios, clients, ca, upstreamPid } = await tlsSetup({ dir, skipped });
  progress('warm-up');
  await warmUp(scenarios, upstreamPid);
  progress(`throughput: ${P.rounds} rounds x ${Object.keys(scenarios).length} scenarios x ${P.seconds} s`);
  const tp = await throughputRounds(scenarios, {
    rounds: P.rounds,
    seconds: P.seconds,
    connections: CONNECTIONS,
    until: until(0.7),
    upstreamPid,
  });
  const listeners = Object.fromEntries(
    ['gateway tls', 'haproxy tls', 'nginx tls'].filter((n) => scenarios[n]).map((n) => [n, scenarios[n]]),
  );
  progress(`new TLS connections: ${P.hsRounds} rounds x ${Object.keys(listeners).length} listeners x 2 modes`);
  const hs = await handshakeRounds(clients, listeners, {
    ca,
    rounds: P.hsRounds,
    seconds: P.hsSeconds,
    concurrency: HANDSHAKE_CLIENTS,
    until: until(0.9),
  });

  console.log(
    `\ngateway TLS benchmark${QUICK ? ' (BENCH_QUICK=1: smoke run, wide spreads expected)' : ''}: ${Object.values(tp)[0].length} rounds, wrk -t1 -c${CONNECTIONS} -d${P.seconds}s per scenario per round (keep-alive), order reversed every other round; figures are medians, (min-max) over rounds`,
  );
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadBefore} before, ${load()} after; run took ${elapsed()}`,
  );
  console.log(
    'every proxy: one worker, the gateway workload certificate (ECDSA P-256) on both sides of a TLS chain, a keep-alive pool to its upstream; the TLS upstream requires a client certificate from the platform CA',
  );
  printTlsThroughput(tp);
  printTlsRatios(tp);
  printHandshakes(hs, { seconds: P.hsSeconds, concurrency: HANDSHAKE_CLIENTS });
  for (const line of skipped) console.log(`skipped: ${line}`);
} catch (error) {
  console.error(`\ngateway TLS bench failed after ${elapsed()}: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  removeDir();
}
