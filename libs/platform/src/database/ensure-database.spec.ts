import { Client } from 'pg';
import { testDatabaseUrl } from '../testing/test-database-url';
import { ensureDatabase } from './ensure-database';

const name = `zt_test_ensure_${process.pid}`;
const url = testDatabaseUrl(name);

async function dropTestDatabase() {
  const admin = new Client({ connectionString: testDatabaseUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.end();
}

describe('ensureDatabase (real PostgreSQL)', () => {
  beforeAll(dropTestDatabase);
  afterAll(dropTestDatabase);

  it('creates a missing database once, then finds it', async () => {
    expect(await ensureDatabase(url)).toBe('created');
    expect(await ensureDatabase(url)).toBe('exists');
    const client = new Client({ connectionString: url });
    await client.connect();
    expect((await client.query('SELECT current_database() AS db')).rows[0].db).toBe(name);
    await client.end();
  });

  it('survives several instances starting at once', async () => {
    await dropTestDatabase();
    const results = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    expect(results.filter((r) => r === 'created').length).toBeLessThanOrEqual(1);
    expect(results.every((r) => r === 'created' || r === 'exists')).toBe(true);
  });

  it('refuses a database name it cannot quote safely', async () => {
    await expect(ensureDatabase(testDatabaseUrl('bad"name'))).rejects.toThrow(/unsupported database/);
  });
});
