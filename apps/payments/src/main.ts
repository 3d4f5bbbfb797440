import 'reflect-metadata';
import { runService } from '@zt/platform';

void runService({
  name: 'payments',
  title: 'Zero-trust bank: payments API',
  loadModule: async () => (await import('./app/app.module')).AppModule,
  kafkaConsumer: { groupId: 'payments' },
});
