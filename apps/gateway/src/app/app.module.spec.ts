import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startAppForTest } from '@zt/platform/testing';

describe('gateway app', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startAppForTest({ name: 'gateway', loadModule: async () => (await import('./app.module')).AppModule, env: {} });
  });
  afterAll(() => app?.close());

  it('is healthy without a database of its own', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', details: {} });
  });
});
