import 'reflect-metadata';
import { PaymentTopics } from '@zt/contracts';
import { runService } from '@zt/platform';

void runService({
  name: 'accounts',
  title: 'Zero-trust bank: accounts API',
  loadModule: async () => (await import('./app/app.module')).AppModule,
  kafkaConsumer: { groupId: 'accounts', topics: [PaymentTopics.APPROVED] },
});
