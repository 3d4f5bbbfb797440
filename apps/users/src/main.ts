import 'reflect-metadata';
import { runService } from '@zt/platform';

void runService({
  name: 'users',
  title: 'Zero-trust bank: users API',
  loadModule: async () => (await import('./app/app.module')).AppModule,
});
