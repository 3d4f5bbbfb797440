import 'reflect-metadata';
import { runService } from '@zt/platform';

void runService({
  name: 'authorization-server',
  title: 'Zero-trust bank: authorization server',
  loadModule: async () => (await import('./app/app.module')).AppModule,
});
