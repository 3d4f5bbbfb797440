import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { itKeepsThePlatformContract, startAppForTest, testDatabaseUrl } from '@zt/platform/testing';

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

  itKeepsThePlatformContract(() => app, { database: 'zt_test_authorization_server', tables: ['oidc_payloads'] });
});
