import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';

/** What every service of the platform promises once started (see PlatformModule). */
export interface PlatformAppExpectations {
  /** The app's own database (omit for an app without one, e.g. the gateway). */
  database?: string;
  /** Tables its migrations must have created. */
  tables?: string[];
  /** The app consumes or produces Kafka events: /health reports the broker too. */
  kafka?: boolean;
}

/**
 * The start-up contract of an app, as `it` cases inside the caller's `describe`: `/health` reports
 * exactly the dependencies the app has, its database is its own and fully migrated, and an
 * OpenAPI document with the bearer scheme is served. `app()` is read when each case runs.
 */
export function itKeepsThePlatformContract(app: () => NestFastifyApplication, expected: PlatformAppExpectations): void {
  it('reports its dependencies healthy on GET /health', async () => {
    const res = await app().inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json().details).toEqual({
      ...(expected.database ? { database: { status: 'up' } } : {}),
      ...(expected.kafka ? { kafka: { status: 'up', brokers: 1 } } : {}),
    });
  });

  if (expected.database) {
    it('has migrated its own database', async () => {
      const db = app().get(DataSource);
      expect(await db.query('SELECT current_database() AS db')).toEqual([{ db: expected.database }]);
      expect(await db.showMigrations()).toBe(false);
      const tables = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(
        expect.arrayContaining(expected.tables ?? []),
      );
    });
  }

  it('publishes an OpenAPI document', async () => {
    const res = await app().inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves Prometheus metrics on GET /metrics to allowed addresses only (loopback by default)', async () => {
    const scrape = await app().inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.body).toMatch(/^# TYPE \w+_requests_total counter$/m);
    expect((await app().inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(404);
  });
}
