import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { itKeepsThePlatformContract, startSecuredAppForTest, testDatabaseUrl } from '@zt/platform/testing';

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

  itKeepsThePlatformContract(() => app, { database: 'zt_test_users', tables: ['user_profiles', 'migrations'] });
});
