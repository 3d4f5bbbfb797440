import { Client } from 'pg';

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Each service owns its database; on a fresh server it does not exist yet. Connects to the
 * server's maintenance database and creates it when missing. Safe when several instances
 * start at once (a concurrent CREATE is answered with duplicate_database, 42P04).
 */
export async function ensureDatabase(databaseUrl: string): Promise<'created' | 'exists'> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!SAFE_NAME.test(name))
    throw new Error(`DATABASE_URL names an unsupported database "${name}" (letters, digits, _)`);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
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
