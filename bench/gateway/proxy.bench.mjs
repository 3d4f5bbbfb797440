// Benchmark of apps/gateway: prints RATIOS of scenarios measured side by side
// in one run (medians of rounds in alternating order, with their min-max), never timed assertions.
// Run: npm run bench -- gateway   (BENCH_QUICK=1: a smoke run of about 80 s)
//   (1) gateway with a cached opaque token / bare undici reverse proxy, to the same upstream, and
//       each optional feature's CPU per request by ablation (audit log off, rate limits off, both)
//   (2) gateway / nginx and (3) gateway / HAProxy verifying the RS256 JWT (jwt_verify)
//   (4) latency added over calling the upstream directly, open loop at 1/4 of capacity
//   (5) rate limiter: in-memory on/off (CPU per request, req/s); Redis-backed: added p50
//   (6) cache-miss path with the real authorization server, and the browser cookie path
//   (7) steady state: introspection calls per token per cache lifetime, cache hit ratio
// Load comes from wrk (closed loop) and a Node open-loop generator; CPU per request is read from
// /proc for each proxy process. Parts: bench/gateway/lib/*.mjs. Needs wrk, nginx, haproxy
// (Debian: apt-get install wrk nginx-light haproxy), PostgreSQL (the AS) and Redis (row 5).
// BENCH_CPU_PROF=1 writes V8 CPU profiles of the Node proxies (gateways, bare, floor) to /tmp/prof.
import { availableParallelism } from 'node:os';
import { cacheMissPhase, steadyStatePhase } from './lib/cache-phases.mjs';
import { latencyRounds, openLoop, throughputRounds, warmUp } from './lib/phases.mjs';
import { startBenchRun } from './lib/bench-run.mjs';
import { stopAll } from './lib/procs.mjs';
import {
  printAblation,
  printCacheMiss,
  printLatency,
  printLimiter,
  printRatios,
  printSteady,
  printThroughput,
} from './lib/report.mjs';
import { setup } from './lib/setup.mjs';
import { median } from './lib/stats.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
// Sized for a 2-core machine: a full run takes about 5-6 minutes, a quick one about 90 s. Many
// short rounds rather than a few long ones: a burst of other work on the machine then spoils
// one pair of a round, which the median over rounds ignores.
const P = QUICK
  ? {
      deadline: 150,
      rounds: 3,
      seconds: 1,
      latencyRounds: 3,
      latencySeconds: 1,
      missRounds: 1,
      missSeconds: 1,
      steadyTokens: 50,
      steadyLifetime: 3,
    }
  : {
      deadline: 480,
      rounds: 8,
      seconds: 2,
      latencyRounds: 3,
      latencySeconds: 3,
      missRounds: 2,
      missSeconds: 3,
      steadyTokens: 200,
      steadyLifetime: 10,
    };
const CONNECTIONS = 32;
const LIFETIMES = 3;

const { dir, removeDir, elapsed, progress, until, skipped, load, loadBefore } = startBenchRun(
  'gateway bench',
  P.deadline,
);

try {
  progress('starting the authorization server, upstream, 6 gateways, bare proxy, nginx, HAProxy');
  const ctx = { ...(await setup({ dir, steadyLifetimeSeconds: P.steadyLifetime, skipped })), dir };
  const { scenarios, loadgen } = ctx;
  progress('warm-up');
  await warmUp(scenarios, ctx.upstream.pid);
  progress(`throughput: ${P.rounds} rounds x ${Object.keys(scenarios).length} scenarios x ${P.seconds} s`);
  const tp = await throughputRounds(scenarios, {
    rounds: P.rounds,
    seconds: P.seconds,
    connections: CONNECTIONS,
    until: until(0.45),
    upstreamPid: ctx.upstream.pid,
  });

  // (4) at a quarter of the gateway's capacity; (5) Redis vs off at a quarter of the slower of the two.
  const capacity = (name) => median(tp[name].map((r) => r.rps));
  const rates = {
    main: capacity('gateway') / 4,
    limiter: Math.min(...['limits off', 'redis limits'].filter((n) => tp[n]).map(capacity)) / 4,
  };
  const rateOf = {
    direct: rates.main,
    gateway: rates.main,
    cookie: rates.main,
    'limits off': rates.limiter,
    'redis limits': rates.limiter,
  };
  progress(`open-loop latency at ${Math.round(rates.main)} and ${Math.round(rates.limiter)} req/s`);
  const latencyScenarios = Object.fromEntries(
    Object.keys(rateOf)
      .filter((n) => scenarios[n])
      .map((n) => [n, { ...scenarios[n], rate: rateOf[n] }]),
  );
  const lat = await latencyRounds(loadgen, latencyScenarios, {
    seconds: P.latencySeconds,
    rounds: P.latencyRounds,
    until: until(0.6),
  });

  progress('cache-miss path (minting tokens at the authorization server)');
  const miss = await cacheMissPhase(ctx, { seconds: P.missSeconds, rounds: P.missRounds, until: until(0.75) });
  progress(`steady state: ${P.steadyTokens} tokens, ${LIFETIMES} x ${P.steadyLifetime} s`);
  const steady = await steadyStatePhase(ctx, {
    tokenCount: P.steadyTokens,
    lifetimeSeconds: P.steadyLifetime,
    lifetimes: LIFETIMES,
    connections: CONNECTIONS,
  });

  console.log(
    `\ngateway benchmark${QUICK ? ' (BENCH_QUICK=1: smoke run, wide spreads expected)' : ''}: ${tp.gateway.length} rounds, wrk -t1 -c${CONNECTIONS} -d${P.seconds}s per scenario per round, order reversed every other round; figures are medians, (min-max) over rounds`,
  );
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadBefore} before, ${load()} after; run took ${elapsed()}`,
  );
  console.log(
    `proxies: one worker each (gateway, bare: one Node process; nginx: master_process off; HAProxy: nbthread 1); one log line per request to /dev/null from the gateway (GATEWAY_ACCESS_LOG=${process.env.GATEWAY_ACCESS_LOG ?? 'true'}), nginx and HAProxy; none from the bare proxy`,
  );
  printThroughput(tp);
  console.log('');
  printRatios(tp);
  printAblation(tp);
  const latency = printLatency(lat, { rates, lag: openLoop.lag });
  printLimiter(tp, latency);
  printCacheMiss(tp, latency, miss);
  printSteady(steady);
  for (const line of skipped) console.log(`skipped: ${line}`);
} catch (error) {
  console.error(`\ngateway bench failed after ${elapsed()}: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  removeDir();
}
