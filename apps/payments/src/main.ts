import 'reflect-metadata';
import { PaymentTopics } from '@zt/contracts';
import { runService } from '@zt/platform';

void runService({
  name: 'payments',
  title: 'Zero-trust bank: payments API',
  loadModule: async () => (await import('./app/app.module')).AppModule,
  kafkaConsumer: { groupId: 'payments', topics: [PaymentTopics.SETTLED, PaymentTopics.REJECTED] },
});
