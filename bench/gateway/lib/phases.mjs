// The measurements, each over alternating rounds so drift on a shared machine hits every
// scenario alike: wrk throughput + CPU per request, and open-loop latency at a fixed rate.
import { Agent, request } from 'undici';
import { ask } from './procs.mjs';
import { runWrk } from './wrk.mjs';
import { roundOrder } from './stats.mjs';

/** One plain request per scenario (a clear error before any load) and a short wrk warm-up (JIT, connections, the first introspection). */
export async function warmUp(scenarios, upstreamPid) {
  for (const [name, s] of Object.entries(scenarios)) {
    // A TLS scenario names the CA its listener's certificate chains to (wrk does not check it).
    const dispatcher = s.ca ? new Agent({ connect: { ca: s.ca } }) : undefined;
    const res = await request(s.url, { headers: s.headers, dispatcher });
    const text = await res.body.text();
    await dispatcher?.close();
    if (res.statusCode !== 200) throw new Error(`${name}: ${s.url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    // The gateway's code paths need longer than the others before V8 has optimized them.
    await runWrk({
      url: s.url,
      headers: s.headers,
      seconds: s.warmSeconds ?? 1,
      pids: { proxy: s.pid, upstream: s.upstreamPid ?? upstreamPid },
    });
  }
}

/**
 * wrk against every scenario per round.
 * @returns {Record<string, {rps: number, cpu: number, upstreamCpu: number}[]>} one entry per round
 */
export async function throughputRounds(scenarios, { rounds, seconds, connections, until, upstreamPid }) {
  const results = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
  for (let round = 0; round < rounds && (round < 2 || Date.now() < until); round++) {
    for (const name of roundOrder(Object.keys(scenarios), round)) {
      const s = scenarios[name];
      const r = await runWrk({
        url: s.url,
        headers: s.headers,
        seconds,
        connections,
        // The TLS benchmark has two upstreams (plaintext and mutual TLS): each scenario names its own.
        pids: { proxy: s.pid, upstream: s.upstreamPid ?? upstreamPid },
      });
      // The direct scenario has no proxy: its "proxy" is the upstream itself.
      results[name].push({ rps: r.rps, cpu: r.cpu.proxy, upstreamCpu: r.cpu.upstream });
    }
  }
  return results;
}

/**
 * Open-loop runs, alternating; each scenario at its own `rate` per second (pairs that are compared share one).
 * @returns per scenario, one latency list per round
 */
export async function latencyRounds(loadgen, scenarios, { seconds, rounds, until }) {
  const runs = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
  for (let round = 0; round < rounds && (round < 1 || Date.now() < until); round++) {
    for (const name of roundOrder(Object.keys(scenarios), round)) {
      const { rate } = scenarios[name];
      runs[name].push(
        await openLoop(loadgen, name, { ...scenarios[name], count: Math.max(50, Math.round(rate * seconds)) }),
      );
    }
  }
  return runs;
}

/** One open-loop run in the generator process; throws if any answer was not 200. */
export async function openLoop(loadgen, name, { port, path, headers, headerList, rate, count }) {
  const r = await ask(
    loadgen,
    { type: 'open', port, path, headers, headerList, rate, count },
    60_000 + (count / rate) * 2000,
  );
  if (r.failed)
    throw new Error(`${name}: ${r.failed} of ${r.count} open-loop answers were not 200 (first: ${r.firstFailure})`);
  openLoop.lag.push({ p50: r.lagP50, p99: r.lagP99 });
  return r.latencies;
}
// Generator lateness (scheduled -> sent) of every run, reported once as context.
openLoop.lag = [];
