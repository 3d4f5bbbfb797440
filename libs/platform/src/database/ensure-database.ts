import { Client } from 'pg';
import type { TlsFiles } from '../tls/tls-settings';
import { databaseConnectionOptions, DatabaseConnectionOptions } from './database-connection-options';

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** How to connect: the app's TLS files (used unless the URL names its own) and its mode. */
export interface EnsureDatabaseOptions {
  tls?: TlsFiles;
  production?: boolean;
}

/**
 * Each service owns its database; on a fresh server it does not exist yet. Connects to the
 * database itself first: a role that owns a database created for it (the project's cluster, a
 * managed server) and may neither create databases nor reach the maintenance database gets in
 * there. Only when the database is missing (3D000) is it created from the maintenance database.
 * Safe when several instances start at once (a concurrent CREATE is answered with
 * duplicate_database, 42P04).
 */
export async function ensureDatabase(
  databaseUrl: string,
  options: EnsureDatabaseOptions = {},
): Promise<'created' | 'exists'> {
  const connection = databaseConnectionOptions(databaseUrl, {
    tls: options.tls,
    production: options.production ?? false,
  });
  const name = connection.database;
  if (!SAFE_NAME.test(name))
    throw new Error(`DATABASE_URL names an unsupported database "${name}" (letters, digits, _)`);
  if (await reachable(connection)) return 'exists';
  const client = new Client({ ...connection, database: 'postgres', connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Another instance won the race: 42P04 duplicate_database, or 23505 when both
      // inserted into pg_database at the same moment.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return 'exists';
      throw error;
    }
    return 'created';
  } finally {
    await client.end();
  }
}

/** True when the database accepts this connection; false when it does not exist; otherwise the error. */
async function reachable(connection: DatabaseConnectionOptions): Promise<boolean> {
  const client = new Client({ ...connection, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
