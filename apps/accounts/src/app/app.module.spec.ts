import { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  itKeepsThePlatformContract,
  startSecuredAppForTest,
  testDatabaseUrl,
  testKafkaBrokers,
  testKafkaTlsEnv,
} from '@zt/platform/testing';

describe('accounts app (real PostgreSQL and Kafka)', () => {
  let app: NestFastifyApplication;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await startSecuredAppForTest({
      name: 'accounts',
      audience: 'accounts-api',
      loadModule: async () => (await import('./app.module')).AppModule,
      env: {
        DATABASE_URL: testDatabaseUrl('zt_test_accounts'),
        KAFKA_BROKERS: testKafkaBrokers(),
        ...testKafkaTlsEnv(),
      },
    }));
  });
  afterAll(() => close?.());

  itKeepsThePlatformContract(() => app, {
    database: 'zt_test_accounts',
    tables: ['accounts', 'processed_events'],
    kafka: true,
  });
});
