// The PostgreSQL server the runners use: DATABASE_URL's when given, otherwise the project's own
// cluster (infra/postgres/postgres-cluster.mjs: TLS only, one certificate-authenticated role per
// service) once a runner has called startPostgres. Checks that it answers, with one clear line if not.
import { createRequire } from 'node:module';
import path from 'node:path';
import { start as startCluster, reset as resetCluster } from '../../infra/postgres/postgres-cluster.mjs';
import { root, say } from './workspace.mjs';

const { Client } = createRequire(`${root}/package.json`)('pg');

/** The project's own cluster, while a runner has it started (see startPostgres). */
let cluster;

/**
 * Starts (or finds running) the project's own cluster on 127.0.0.1:`port`, state in
 * tmp/postgres-<port> unless `stateDir`, TLS with the platform PKI in `pkiDir`; `databases` maps
 * each service workload (its role, = certificate CN) to the databases it owns, e.g.
 * `{ payments: ['zt_e2e_payments'] }`. `fresh` starts from an empty cluster. From then on the
 * other functions here use it (as the `platform-admin` superuser) until `stop()`.
 * Returns `{ adminUrl, urlFor(role, database, { files }), pid, stop }`.
 */
export async function startPostgres({ port, stateDir, pkiDir, databases, fresh = false }) {
  const dir = stateDir ?? path.join(root, `tmp/postgres-${port}`);
  if (fresh) await resetCluster({ port, stateDir: dir });
  const options = {
    port,
    stateDir: dir,
    pkiDir,
    databases,
    say: (line) => say('postgres', line.replace(/^postgres: /, '')),
  };
  const started = await startCluster(options);
  // Kept to give dropped databases back to their roles (which may not create databases).
  started.restore = () => startCluster(options);
  cluster = started;
  return {
    ...started,
    stop: async () => {
      say('postgres', `stopping the cluster on 127.0.0.1:${port} (pid ${started.pid})`);
      if (cluster === started) cluster = undefined;
      await started.stop();
    },
  };
}

/** The server URL on the maintenance database: the own cluster's admin URL, DATABASE_URL's, or the local server. */
export function postgresServerUrl() {
  const url = new URL(cluster?.adminUrl || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  return url;
}

/**
 * An app's DATABASE_URL. On the own cluster with the app's `role`: that role's URL with
 * sslmode=verify-full and no certificate files (the app presents its own TLS_CERT_FILE); otherwise
 * the server's URL with the database swapped in (its sslmode and files kept).
 */
export function databaseUrlFor(database, role) {
  if (cluster && role) return cluster.urlFor(role, database, { files: false });
  const url = postgresServerUrl();
  url.pathname = `/${database}`;
  return url.toString();
}

export async function checkPostgres() {
  const url = postgresServerUrl();
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${url.host} did not answer (${error.message}); start it or set DATABASE_URL=postgres://user@host:5432/postgres?sslmode=verify-full`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Drops databases (after closing their connections): isolated runs start from a known state. On
 * the own cluster the roles may not create databases, so the dropped ones are created again,
 * empty, for the roles that own them.
 */
export async function dropDatabases(names) {
  const client = new Client({ connectionString: postgresServerUrl().toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing to drop database "${name}"`);
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
  await cluster?.restore();
}
