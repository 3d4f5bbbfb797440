// Open-loop latency: requests leave on a fixed schedule (rate per second) whatever the server is
// doing, and each latency is measured from its SCHEDULED send time, so a server that stalls is
// charged for every request that should have left meanwhile (no coordinated omission, as wrk2
// does). Node timers wake at best every ~1 ms, which would send requests in bursts that queue
// behind the slower target: so the generator sleeps on a timer only until SPIN_MS before a send
// and spins on setImmediate from there (answers are still read in every turn of the loop). At
// 1/4 of the gateway's capacity requests leave every ~0.4 ms, so the generator keeps one core
// busy, alike for every target. Its own lateness (scheduled -> sent) is returned and printed.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const SPIN_MS = 1.5;

/**
 * @param {{port: number, path: string, headers?: object, headerList?: object[], rate: number,
 *   count: number, connections?: number, warm?: boolean}} options
 *   headerList: one header set per request (fresh tokens); otherwise `headers` for every request.
 */
export async function openLoop({ port, path, headers = {}, headerList, rate, count, connections = 64, warm = true }) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, keepAliveTimeout: 60_000 });
  const headersFor = (i) => (headerList ? headerList[i] : headers);
  try {
    // Open the connections before the clock starts (a TCP handshake is not the proxy's latency).
    if (warm) await Promise.all(Array.from({ length: 16 }, () => send(pool, path, headers)));
    const interval = 1000 / rate;
    const latencies = new Float64Array(count);
    const lags = new Float64Array(count);
    let failed = 0;
    let firstFailure = '';
    const t0 = performance.now() + 5;
    let next = 0;
    let pending = 0;
    await new Promise((resolve) => {
      const fire = (i, now) => {
        const scheduled = t0 + i * interval;
        lags[i] = now - scheduled;
        pending++;
        send(pool, path, headersFor(i))
          .catch((error) => error.message)
          .then((status) => {
            latencies[i] = performance.now() - scheduled;
            if (status !== 200) {
              failed++;
              firstFailure ||= String(status);
            }
            if (--pending === 0 && next === count) resolve();
          });
      };
      const tick = () => {
        const now = performance.now();
        while (next < count && t0 + next * interval <= now) fire(next++, now);
        if (next === count) {
          if (pending === 0) resolve();
          return;
        }
        const wait = t0 + next * interval - performance.now();
        if (wait <= SPIN_MS) setImmediate(tick);
        else setTimeout(tick, wait - SPIN_MS);
      };
      setTimeout(tick, 5);
    });
    return { latencies: [...latencies], lagP50: pct(lags, 0.5), lagP99: pct(lags, 0.99), failed, firstFailure, count };
  } finally {
    await pool.close();
  }
}

async function send(pool, path, headers) {
  const res = await pool.request({ method: 'GET', path, headers });
  await res.body.dump();
  return res.statusCode;
}

function pct(values, p) {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
