import { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  itKeepsThePlatformContract,
  startSecuredAppForTest,
  testDatabaseUrl,
  testKafkaBrokers,
  testKafkaTlsEnv,
} from '@zt/platform/testing';

describe('payments app (real PostgreSQL and Kafka)', () => {
  let app: NestFastifyApplication;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, close } = await startSecuredAppForTest({
      name: 'payments',
      audience: 'payments-api',
      loadModule: async () => (await import('./app.module')).AppModule,
      env: {
        DATABASE_URL: testDatabaseUrl('zt_test_payments'),
        KAFKA_BROKERS: testKafkaBrokers(),
        ...testKafkaTlsEnv(),
      },
    }));
  });
  afterAll(() => close?.());

  itKeepsThePlatformContract(() => app, {
    database: 'zt_test_payments',
    tables: ['payments', 'outbox_events'],
    kafka: true,
  });
});
