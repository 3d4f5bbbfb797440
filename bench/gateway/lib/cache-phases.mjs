// Token-cache behaviour with the real authorization server: (6) the cache-miss path, every request
// a token the gateway has never seen, and (7) the steady state, K tokens in constant use over
// several cache lifetimes, read from the gateway's own /metrics.
import { gatewayMetrics, mintTokens } from './auth.mjs';
import { rotatingScript } from './lua.mjs';
import { openLoop } from './phases.mjs';
import { median, roundOrder } from './stats.mjs';
import { runWrk } from './wrk.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function cacheMissPhase(
  { as, scenarios, loadgen, dir, token },
  { seconds, rounds, until, initialRate = 500 },
) {
  const g = scenarios.gateway;
  const pids = { proxy: g.pid, as: as.pid };
  const minted = { count: 0, seconds: 0 };
  const mint = async (n) => {
    const m = await mintTokens(as.issuer, n, 16);
    minted.count += n;
    minted.seconds += m.seconds;
    return m.tokens;
  };
  const script = (tokens, mode) =>
    rotatingScript(dir, { path: g.path, header: 'Authorization', values: tokens.map((t) => `Bearer ${t}`), mode });
  // Same wrk + Lua for both, so only the token's freshness differs.
  const cachedScript = script([token], 'cycle');
  const missRun = async (tokens, secs) => {
    const before = await gatewayMetrics(g.port);
    const r = await runWrk({ url: g.url, script: script(tokens, 'once'), seconds: secs, pids });
    const after = await gatewayMetrics(g.port);
    return {
      ...r,
      missesPerRequest: (after.misses - before.misses) / r.requests,
      introspections: after.introspections - before.introspections,
      tokens: tokens.length,
    };
  };
  // A run is valid only if every request was a miss: tokens are sized from the last measured
  // rate and, when the list ran out (the last token repeats, a cache hit), doubled and run again.
  let rate = initialRate;
  const measureMiss = async (secs) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = await missRun(await mint(Math.ceil(rate * secs * 1.3) + 64), secs);
      if (r.missesPerRequest >= 0.97) return ((rate = r.rps), r);
      rate *= 2;
    }
    throw new Error('the cache-miss runs kept running out of fresh tokens');
  };
  await measureMiss(1); // warms the miss path (AS and gateway) and sizes the token lists
  const results = { cached: [], miss: [] };
  for (let round = 0; round < rounds && (round < 1 || Date.now() < until); round++) {
    for (const kind of roundOrder(['miss', 'cached'], round)) {
      if (kind === 'cached') results.cached.push(await runWrk({ url: g.url, script: cachedScript, seconds, pids }));
      else results.miss.push(await measureMiss(seconds));
    }
  }
  // p50 at a quarter of the miss capacity: fresh token per request vs the cached token, same rate.
  const openRate = median(results.miss.map((r) => r.rps)) / 4;
  const count = Math.max(50, Math.round(openRate * seconds));
  const fresh = await mint(count);
  const latency = {};
  for (const kind of roundOrder(['miss', 'cached'], rounds)) {
    const headerList = kind === 'miss' ? fresh.map((t) => ({ authorization: `Bearer ${t}` })) : undefined;
    latency[kind] = await openLoop(loadgen, `cache ${kind}`, {
      port: g.port,
      path: g.path,
      headers: g.headers,
      headerList,
      rate: openRate,
      count,
    });
  }
  return { results, openRate, count, latency, minted };
}

export async function steadyStatePhase({ as, gateways, dir }, { tokenCount, lifetimeSeconds, lifetimes, connections }) {
  const g = gateways.steady;
  const url = `http://127.0.0.1:${g.port}/api/users/me`;
  const { tokens } = await mintTokens(as.issuer, tokenCount, 16);
  // Cache every token once, then wait half a lifetime: the measured window then holds exactly
  // `lifetimes` expiries of each token, none of them at its edges.
  for (let i = 0; i < tokens.length; i += 16) {
    await Promise.all(
      tokens.slice(i, i + 16).map(async (t) => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${t}` } });
        if (res.status !== 200) throw new Error(`steady-state gateway answered ${res.status}`);
        await res.arrayBuffer();
      }),
    );
  }
  await sleep(lifetimeSeconds * 500);
  const before = await gatewayMetrics(g.port);
  const seconds = lifetimeSeconds * lifetimes;
  const script = rotatingScript(dir, {
    path: '/api/users/me',
    header: 'Authorization',
    values: tokens.map((t) => `Bearer ${t}`),
    mode: 'cycle',
  });
  const r = await runWrk({ url, script, seconds, connections, pids: { proxy: g.pid } });
  const after = await gatewayMetrics(g.port);
  const delta = (key) => after[key] - before[key];
  return {
    tokenCount,
    lifetimeSeconds,
    seconds,
    rps: r.rps,
    requests: r.requests,
    introspections: delta('introspections'),
    hits: delta('hits'),
    misses: delta('misses'),
  };
}
