import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startAppForTest, testDatabaseUrl } from '@zt/platform/testing';
import { DataSource } from 'typeorm';

describe('authorization-server app (real PostgreSQL)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startAppForTest({
      name: 'authorization-server',
      loadModule: async () => (await import('./app.module')).AppModule,
      env: { DATABASE_URL: testDatabaseUrl('zt_test_authorization_server') },
    });
  });
  afterAll(() => app?.close());

  it('reports its dependencies healthy on GET /health', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({ database: { status: 'up' } });
  });

  it('has migrated its own database', async () => {
    const db = app.get(DataSource);
    expect(await db.query('SELECT current_database() AS db')).toEqual([{ db: 'zt_test_authorization_server' }]);
    expect(await db.showMigrations()).toBe(false);
    const tables = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(expect.arrayContaining(['oidc_payloads']));
  });

  it('publishes an OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
