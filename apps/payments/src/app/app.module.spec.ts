import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSecuredAppForTest, testDatabaseUrl, testKafkaBrokers } from '@zt/platform/testing';
import { DataSource } from 'typeorm';

describe('payments app (real PostgreSQL and Kafka)', () => {
  let app: NestFastifyApplication;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await startSecuredAppForTest({
      name: 'payments',
      audience: 'payments-api',
      loadModule: async () => (await import('./app.module')).AppModule,
      env: { DATABASE_URL: testDatabaseUrl('zt_test_payments'), KAFKA_BROKERS: testKafkaBrokers() },
    }));
  });
  afterAll(() => close?.());

  it('reports its dependencies healthy on GET /health', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({ database: { status: 'up' }, kafka: { status: 'up', brokers: 1 } });
  });

  it('has migrated its own database', async () => {
    const db = app.get(DataSource);
    expect(await db.query('SELECT current_database() AS db')).toEqual([{ db: 'zt_test_payments' }]);
    expect(await db.showMigrations()).toBe(false);
    const tables = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(expect.arrayContaining(['payments', 'outbox_events']));
  });

  it('publishes an OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
