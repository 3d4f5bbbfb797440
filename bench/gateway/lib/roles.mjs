// The processes of the gateway benchmark, one role each (forked by procs.mjs; the first IPC
// message says it is ready). Separate processes so each one's CPU time can be read from /proc
// and none of them shares an event loop with the load generators or the orchestrator.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { bareHop } from './bare-hop.mjs';
import { tlsRoles } from './tls-roles.mjs';

const require = createRequire(import.meta.url);
const [role, rawArg] = process.argv.slice(2);
const arg = rawArg === undefined ? undefined : JSON.parse(rawArg);
// Orphaned (the orchestrator died without cleaning up): leave too.
process.on('disconnect', () => process.exit(0));
// A clean exit on SIGTERM lets `--cpu-prof` (BENCH_CPU_PROF=1) write its profile.
process.on('SIGTERM', () => process.exit(0));

function listen(server) {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

const roles = {
  // The API behind every proxy: a fixed small JSON answer.
  upstream() {
    const body = JSON.stringify({ id: 'acc_1', balance: '10.00' });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    listen(
      createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(200, headers).end(body));
      }),
    );
  },

  // The baseline of (1): the least a Node reverse proxy can do (undici pool, streamed through).
  bare({ upstreamPort }) {
    const { Pool } = require('undici');
    const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128 });
    listen(createServer(bareHop(pool)));
  },

  // The real gateway app, configured only through its environment contract: the variables of the
  // shell the benchmark runs in (a REDIS_URL, a GATEWAY_*) must not change a scenario.
  async gateway(env) {
    require('../../lib/ts-hook.cjs');
    for (const name of Object.keys(process.env)) {
      if (/^(GATEWAY_|OAUTH_|REDIS_URL$|(USERS|ACCOUNTS|PAYMENTS)_API_URL|TLS_|PORT$|HOST$)/.test(name))
        delete process.env[name];
    }
    Object.assign(process.env, env);
    const { createService } = require('../../../libs/platform/src/index.ts');
    const app = await createService({
      name: 'gateway',
      title: 'gateway',
      // As apps/gateway/src/main.ts: the internet's entry point, no client certificate asked.
      listener: 'public',
      loadModule: async () => require('../../../apps/gateway/src/app/app.module.ts').AppModule,
    });
    await app.listen(0, '127.0.0.1');
    process.send({ port: app.getHttpServer().address().port });
  },

  // The framework floor: NestJS + Fastify, the platform bootstrap, one proxy route (nest-floor.ts).
  async 'nest floor'({ upstreamPort }) {
    require('../../lib/ts-hook.cjs');
    const { createService } = require('../../../libs/platform/src/index.ts');
    const { nestFloorModule } = require('./nest-floor.ts');
    Object.assign(process.env, { NODE_ENV: 'development', LOG_LEVEL: 'warn' });
    const app = await createService({
      name: 'nest-floor',
      title: 'floor',
      loadModule: async () => nestFloorModule(upstreamPort),
    });
    await app.listen(0, '127.0.0.1');
    process.send({ port: app.getHttpServer().address().port });
  },

  // The real authorization server (PostgreSQL, oidc-provider), in its own process so its CPU on
  // the cache-miss path is counted apart from the gateway's.
  async 'authorization-server'({ database }) {
    require('../../lib/ts-hook.cjs');
    const {
      startAuthorizationServer,
    } = require('../../../apps/authorization-server/src/testing/start-authorization-server.ts');
    // Tokens outlive the whole run (the default 300 s is shorter than a full run).
    const as = await startAuthorizationServer({ database, env: { OAUTH_ACCESS_TOKEN_TTL_SECONDS: '3600' } });
    process.send({ port: as.port, issuer: as.issuer });
  },

  // Open-loop latency generator: answers each {type: 'open', ...} message with its results.
  async loadgen() {
    const { openLoop } = await import('./open-loop.mjs');
    process.on('message', async (message) => {
      try {
        process.send(await openLoop(message));
      } catch (error) {
        process.send({ error: error.message });
      }
    });
    process.send({ ready: true });
  },

  ...tlsRoles,
};

if (!roles[role]) throw new Error(`unknown role ${role}`);
Promise.resolve(roles[role](arg)).catch((error) => {
  process.stderr.write(`${role}: ${error.stack ?? error}\n`);
  process.exit(1);
});
