import 'reflect-metadata';
import { runService } from '@zt/platform';

void runService({
  name: 'authorization-server',
  title: 'Zero-trust bank: authorization server',
  loadModule: async () => (await import('./app/app.module')).AppModule,
  // Browsers and apps connect without a certificate; service clients present theirs, so their
  // tokens are bound to it (RFC 8705).
  listener: 'public-optional-client-cert',
});
