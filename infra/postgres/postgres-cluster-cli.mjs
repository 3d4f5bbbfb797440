// The project's PostgreSQL cluster from the command line (the same code the runners use):
//   node infra/postgres/postgres-cluster-cli.mjs start|stop|status|reset --port 55432 \
//     [--state-dir tmp/postgres-55432] [--pki-dir tmp/pki] [--database payments=zt_payments ...] [--json]
// `start` prints the admin URL (certificate file paths, no secret) or, with --json, the URLs of
// every role and database given.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { reset, start, status, stop } from './postgres-cluster.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '55432' },
    'state-dir': { type: 'string' },
    'pki-dir': { type: 'string', default: 'tmp/pki' },
    database: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean', default: false },
  },
});

/** `--database payments=zt_payments --database payments=zt_e2e_payments` -> { payments: [...] }. */
function databasesOf(specs) {
  const databases = {};
  for (const spec of specs) {
    const [role, name] = spec.split('=');
    if (!role || !name) throw new Error(`--database wants role=database, got "${spec}"`);
    (databases[role] ??= []).push(name);
  }
  return databases;
}

const port = Number(values.port);
const stateDir = values['state-dir'] && path.resolve(values['state-dir']);
const say = (line) => process.stderr.write(`${line}\n`);

async function main(command) {
  switch (command) {
    case 'start': {
      const databases = databasesOf(values.database);
      const cluster = await start({ port, stateDir, pkiDir: path.resolve(values['pki-dir']), databases, say });
      if (!values.json) return say(`postgres: ready (pid ${cluster.pid}); admin: ${cluster.adminUrl}`);
      const urls = Object.fromEntries(
        Object.entries(databases).flatMap(([role, names]) => names.map((name) => [name, cluster.urlFor(role, name)])),
      );
      process.stdout.write(`${JSON.stringify({ pid: cluster.pid, adminUrl: cluster.adminUrl, urls })}\n`);
      return undefined;
    }
    case 'stop': {
      const pid = await stop({ port, stateDir });
      return say(pid ? `postgres: stopped (pid ${pid})` : 'postgres: not running');
    }
    case 'status': {
      const now = status({ port, stateDir });
      if (values.json) return process.stdout.write(`${JSON.stringify(now)}\n`);
      return say(now.running ? `postgres: running (pid ${now.pid}); admin: ${now.adminUrl}` : 'postgres: not running');
    }
    case 'reset':
      await reset({ port, stateDir });
      return say('postgres: stopped and removed');
    default:
      throw new Error('usage: postgres-cluster-cli.mjs start|stop|status|reset --port <port> [--pki-dir <dir>]');
  }
}

try {
  await main(positionals[0]);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
