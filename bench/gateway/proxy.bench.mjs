// Benchmark of apps/gateway: prints RATIOS of scenarios measured side by side in one run (medians
// of alternating rounds), never absolute targets. Run: node bench/run.mjs gateway
//   (a) throughput: gateway (cached opaque token -> JWT -> upstream) / bare undici reverse proxy -> same upstream
//   (b) latency added over calling the upstream directly, p50 and p99 (one request at a time)
//   (c) rate limiter CPU cost: gateway with in-memory limits on / the same gateway with limits off
// Every server is a separate process on 127.0.0.1; load is bounded by counts and a global deadline.
// The gateway meets a stand-in authorization server (a JWKS and an introspection answer signed by
// libs/security's TestIssuer): it is asked once per token, so the measured path is the cache hit.
// BENCH_QUICK=1 for a smoke run.
import { createRequire } from 'node:module';
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 3 : 5;
const REQUESTS = QUICK ? 2000 : 8000;
const LATENCY_SAMPLES = QUICK ? 500 : 2000;
const CONCURRENCY = 32;
const DEADLINE = Date.now() + 240_000;
const role = process.argv[2];

if (role === '--upstream') {
  const body = JSON.stringify({ id: 'acc_1', balance: '10.00' });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else if (role === '--bare') {
  // The baseline: the least a Node reverse proxy can do (undici pool, stream through).
  const { Pool } = require('undici');
  const pool = new Pool(`http://127.0.0.1:${process.argv[3]}`, { connections: 128 });
  const server = createServer(async (req, res) => {
    try {
      const up = await pool.request({ method: req.method, path: req.url.replace(/^\/api/, ''), headers: { authorization: req.headers.authorization ?? '' }, body: req.method === 'GET' ? null : req });
      res.writeHead(up.statusCode, up.headers);
      up.body.pipe(res);
    } catch {
      res.writeHead(502).end();
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else if (role === '--gateway') {
  require('../lib/ts-hook.cjs');
  Object.assign(process.env, JSON.parse(process.argv[3]));
  const { createService } = require('../../libs/platform/src/index.ts');
  createService({ name: 'gateway', title: 'gateway', loadModule: async () => require('../../apps/gateway/src/app/app.module.ts').AppModule })
    .then(async (app) => {
      await app.listen(0, '127.0.0.1');
      process.send(app.getHttpServer().address().port);
    });
} else {
  await main();
}

function child(args) {
  const proc = fork(fileURLToPath(import.meta.url), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve) => proc.once('message', (port) => resolve({ proc, port })));
}

async function main() {
  require('../lib/ts-hook.cjs');
  const { TestIssuer } = require('../../libs/security/src/testing/index.ts');
  const issuer = await TestIssuer.start({ audience: 'users-api', algorithms: ['RS256'] });
  const jwt = issuer.token({ sub: 'usr_bench', scope: 'users:read', aud: 'users-api', region: 'eu', client_id: 'bench' }, { expiresInSeconds: 3600 });
  const introspection = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/jwt' }).end(jwt));
  });
  await new Promise((r) => introspection.listen(0, '127.0.0.1', r));
  const upstream = await child(['--upstream']);
  const bare = await child(['--bare', String(upstream.port)]);
  const env = (limits) => ({
    NODE_ENV: 'development', LOG_LEVEL: 'warn', OAUTH_ISSUER: issuer.issuer, OAUTH_JWKS_URI: issuer.jwksUri,
    GATEWAY_INTROSPECTION_URL: `http://127.0.0.1:${introspection.address().port}/introspect`, USERS_API_URL: `http://127.0.0.1:${upstream.port}`,
    // Limits high enough never to refuse: (c) measures their bookkeeping, not 429s.
    ...(limits ? { GATEWAY_RATE_LIMIT_IP: '100000000/60,10000000/1', GATEWAY_RATE_LIMIT_USER: '100000000/60,10000000/1', GATEWAY_RATE_LIMIT_CLIENT: '100000000/60,10000000/1' }
      : { GATEWAY_RATE_LIMIT_IP: 'off', GATEWAY_RATE_LIMIT_USER: 'off', GATEWAY_RATE_LIMIT_CLIENT: 'off' }),
  });
  const gateway = await child(['--gateway', JSON.stringify(env(true))]);
  const unlimited = await child(['--gateway', JSON.stringify(env(false))]);
  const { Pool } = require('undici');
  const target = (port, path, token) => ({ pool: new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY }), path, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const opaque = 'bench-opaque-token-0123456789abcdefghij';
  const scenarios = {
    direct: target(upstream.port, '/users/me'),
    bare: target(bare.port, '/api/users/me', jwt),
    gateway: target(gateway.port, '/api/users/me', opaque),
    unlimited: target(unlimited.port, '/api/users/me', opaque),
  };
  for (const s of Object.values(scenarios)) await send(s); // warm-up: connections, JIT, the one introspection

  const rps = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
  const lat = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS && Date.now() < DEADLINE; round++) {
    for (const [name, s] of Object.entries(scenarios)) rps[name].push(await throughput(s));
    for (const name of ['direct', 'gateway']) lat[name].push(...(await latencies(scenarios[name])));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  const r = Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, med(v)]));
  console.log(`rounds: ${rps.gateway.length}, ${REQUESTS} requests x ${CONCURRENCY} concurrent per measurement, every answer checked 200`);
  console.log(`(a) gateway (cached opaque token) / bare undici proxy, req/s ratio: ${(r.gateway / r.bare).toFixed(2)}   [target >= 0.70]`);
  console.log(`    context: bare proxy / direct upstream: ${(r.bare / r.direct).toFixed(2)}; gateway / direct upstream: ${(r.gateway / r.direct).toFixed(2)}`);
  for (const p of [0.5, 0.99]) {
    const d = pct(lat.direct, p);
    const g = pct(lat.gateway, p);
    console.log(`(b) latency p${p * 100}: gateway / direct = ${(g / d).toFixed(2)}x (added ${(g - d).toFixed(3)} ms)`);
  }
  console.log(`(c) rate limiter in memory (3 dimensions x 2 windows): req/s with limits / without = ${(r.gateway / r.unlimited).toFixed(2)}`);
  for (const s of Object.values(scenarios)) await s.pool.close();
  for (const c of [upstream, bare, gateway, unlimited]) c.proc.kill();
  introspection.close();
  await issuer.stop();
}

async function send(s) {
  const res = await s.pool.request({ method: 'GET', path: s.path, headers: s.headers });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${s.path} answered ${res.statusCode}`);
}

async function throughput(s) {
  let left = REQUESTS;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (left-- > 0) await send(s);
  }));
  return REQUESTS / ((performance.now() - start) / 1000);
}

async function latencies(s) {
  const out = [];
  for (let i = 0; i < LATENCY_SAMPLES / ROUNDS; i++) {
    const t = performance.now();
    await send(s);
    out.push(performance.now() - t);
  }
  return out;
}
