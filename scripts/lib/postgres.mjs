// Checks that the PostgreSQL server the services will use answers, with one clear line if not.
import { createRequire } from 'node:module';
import { root } from './workspace.mjs';

const { Client } = createRequire(`${root}/package.json`)('pg');

/** The server URL without a database: each service adds its own database name. */
export function postgresServerUrl() {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  return url;
}

export function databaseUrlFor(database) {
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
      `PostgreSQL at ${url.host} did not answer (${error.message}); start it or set DATABASE_URL=postgres://user:pass@host:5432/postgres`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops databases (after closing their connections): isolated runs start from a known state. */
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
}
