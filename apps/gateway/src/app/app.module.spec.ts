import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { itKeepsThePlatformContract, startAppForTest } from '@zt/platform/testing';

describe('gateway app (no database of its own)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startAppForTest({
      name: 'gateway',
      loadModule: async () => (await import('./app.module')).AppModule,
      env: { GATEWAY_ACCESS_LOG: 'false' },
    });
  });
  afterAll(() => app?.close());

  itKeepsThePlatformContract(() => app, {});
});
