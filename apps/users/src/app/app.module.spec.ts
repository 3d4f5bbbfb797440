import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSecuredAppForTest, testDatabaseUrl } from '@zt/platform/testing';
import { DataSource } from 'typeorm';

describe('users app (real PostgreSQL)', () => {
  let app: NestFastifyApplication;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await startSecuredAppForTest({
      name: 'users',
      audience: 'users-api',
      loadModule: async () => (await import('./app.module')).AppModule,
      env: { DATABASE_URL: testDatabaseUrl('zt_test_users') },
    }));
  });
  afterAll(() => close?.());

  it('reports its dependencies healthy on GET /health', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({ database: { status: 'up' } });
  });

  it('has migrated its own database', async () => {
    const db = app.get(DataSource);
    expect(await db.query('SELECT current_database() AS db')).toEqual([{ db: 'zt_test_users' }]);
    expect(await db.showMigrations()).toBe(false);
    const tables = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(expect.arrayContaining(['user_profiles', 'migrations']));
  });

  it('publishes an OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
