// Starts every process of the gateway benchmark on 127.0.0.1 and names the scenarios: which URL
// with which credential, and which process's CPU time to read for each.
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { mintTokens, phantomJwt, publicKeyPem, sessionCookie, decodeJwt, SCOPE } from './auth.mjs';
import { HAPROXY, NGINX, startHaproxy, startNginx } from './peers.mjs';
import { startRole } from './procs.mjs';

// High enough never to refuse: the limiter rows measure its bookkeeping, not 429s.
export const LIMITS_ON = '100000000/60,10000000/1';
export const limits = (value) => ({
  GATEWAY_RATE_LIMIT_IP: value,
  GATEWAY_RATE_LIMIT_USER: value,
  GATEWAY_RATE_LIMIT_CLIENT: value,
});
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const reachable = (url) =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port || 6379), hostname, () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

export async function setup({ dir, steadyLifetimeSeconds, skipped }) {
  const as = await startRole('authorization-server', { database: 'zt_bench_gateway_as' }, { timeoutMs: 90_000 }).catch(
    (error) => {
      throw new Error(
        `the authorization server did not start (it needs PostgreSQL at DATABASE_URL, default 127.0.0.1:5432): ${error.message}`,
      );
    },
  );
  const upstream = await startRole('upstream');
  const base = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    OAUTH_ISSUER: as.issuer,
    USERS_API_URL: `http://127.0.0.1:${upstream.port}`,
    // The audit line is part of the real per-request cost (stdout goes to /dev/null).
    GATEWAY_ACCESS_LOG: process.env.GATEWAY_ACCESS_LOG ?? 'true',
  };
  const execArgv = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [];
  const redis = await reachable(REDIS_URL);
  if (!redis)
    skipped.push(
      `Redis not reachable at ${REDIS_URL} (apt-get install redis-server, or set REDIS_URL): Redis limiter row skipped`,
    );
  const gatewayEnvs = {
    gateway: { ...base, ...limits(LIMITS_ON) },
    'limits off': { ...base, ...limits('off') },
    // Ablation of (1): each optional feature's CPU per request is the gateway's minus its own row.
    'log off': { ...base, ...limits(LIMITS_ON), GATEWAY_ACCESS_LOG: 'false' },
    'features off': { ...base, ...limits('off'), GATEWAY_ACCESS_LOG: 'false' },
    ...(redis ? { 'redis limits': { ...base, ...limits(LIMITS_ON), REDIS_URL } } : {}),
    // Short cache lifetime so the steady-state run spans several lifetimes of every token.
    steady: { ...base, ...limits(LIMITS_ON), GATEWAY_INTROSPECTION_CACHE_MAX_SECONDS: String(steadyLifetimeSeconds) },
  };
  const started = await Promise.all(Object.values(gatewayEnvs).map((env) => startRole('gateway', env, { execArgv })));
  const gateways = Object.fromEntries(Object.keys(gatewayEnvs).map((name, i) => [name, started[i]]));
  const bare = await startRole('bare', { upstreamPort: upstream.port }, { execArgv });
  const floor = await startRole('nest floor', { upstreamPort: upstream.port }, { execArgv });
  const loadgen = await startRole('loadgen');

  // One cached opaque token for every cached-path scenario; the JWT the gateway forwards for it.
  const [token] = (await mintTokens(as.issuer, 1)).tokens;
  const jwt = await phantomJwt(as.issuer, token);
  const pemFile = path.join(dir, 'as-public-key.pem');
  writeFileSync(pemFile, await publicKeyPem(as.issuer, jwt));
  const api = (port) => `http://127.0.0.1:${port}/api/users/me`;
  const bearer = (t) => ({ authorization: `Bearer ${t}` });
  const scenarios = {
    direct: {
      url: `http://127.0.0.1:${upstream.port}/users/me`,
      headers: {},
      pid: upstream.pid,
      port: upstream.port,
      path: '/users/me',
    },
    bare: { url: api(bare.port), headers: bearer(jwt), pid: bare.pid },
    'nest floor': { url: api(floor.port), headers: bearer(jwt), pid: floor.pid },
    gateway: { url: api(gateways.gateway.port), headers: bearer(token), pid: gateways.gateway.pid },
    cookie: { url: api(gateways.gateway.port), headers: { cookie: sessionCookie(token) }, pid: gateways.gateway.pid },
    'limits off': { url: api(gateways['limits off'].port), headers: bearer(token), pid: gateways['limits off'].pid },
    'log off': { url: api(gateways['log off'].port), headers: bearer(token), pid: gateways['log off'].pid },
    'features off': {
      url: api(gateways['features off'].port),
      headers: bearer(token),
      pid: gateways['features off'].pid,
    },
  };
  if (redis)
    scenarios['redis limits'] = {
      url: api(gateways['redis limits'].port),
      headers: bearer(token),
      pid: gateways['redis limits'].pid,
    };
  if (NGINX) {
    const nginx = await startNginx(dir, upstream.port);
    scenarios.nginx = { url: api(nginx.port), headers: bearer(jwt), pid: nginx.pid };
  } else skipped.push('nginx not installed (apt-get install nginx-light): row (2) skipped');
  if (HAPROXY) {
    const { iss } = decodeJwt(jwt).payload;
    const haproxy = await startHaproxy(dir, upstream.port, {
      pemFile,
      issuer: iss,
      audience: 'users-api',
      scope: SCOPE,
    });
    scenarios.haproxy = { url: api(haproxy.port), headers: bearer(jwt), pid: haproxy.pid };
  } else skipped.push('haproxy not installed (apt-get install haproxy): row (3) skipped');
  const gatewayPids = new Set(Object.values(gateways).map((g) => g.pid));
  for (const s of Object.values(scenarios)) {
    const u = new URL(s.url);
    Object.assign(s, { port: Number(u.port), path: u.pathname, warmSeconds: gatewayPids.has(s.pid) ? 2 : 1 });
  }
  return { as, upstream, gateways, loadgen, token, jwt, scenarios };
}
