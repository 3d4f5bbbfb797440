import 'reflect-metadata';
import { runService } from '@zt/platform';

void runService({
  name: 'gateway',
  title: 'Zero-trust bank: API gateway',
  loadModule: async () => (await import('./app/app.module')).AppModule,
  // The internet's entry point: no client certificate; HSTS on every answer.
  listener: 'public',
});
