import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createService } from '@zt/platform';
import { testDatabaseUrl } from '@zt/platform/testing';
import { createServer } from 'node:net';

export interface RunningServer {
  app: NestFastifyApplication;
  issuer: string;
  port: number;
  database: string;
  close(): Promise<void>;
}

/** A free loopback port: the issuer URL must be known before the server is built. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Starts the real server (PostgreSQL, oidc-provider, pages) on 127.0.0.1 the way `runService`
 * does, with the test's own database. Pass `port` to restart on the same issuer.
 */
export async function startAuthorizationServer(options: {
  database: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const issuer = `${options.env?.TLS_CERT_FILE ? 'https' : 'http'}://127.0.0.1:${port}`;
  const saved = { ...process.env };
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    NODE_ENV: 'development',
    DATABASE_URL: testDatabaseUrl(options.database),
    OAUTH_ISSUER: issuer,
    PORT: String(port),
    ...options.env,
  });
  try {
    const app = await createService({
      name: 'authorization-server',
      title: 'authorization-server',
      loadModule: async () => (await import('../app/app.module')).AppModule,
      listener: 'public-optional-client-cert',
    });
    await app.listen(port, '127.0.0.1');
    return { app, issuer, port, database: options.database, close: () => app.close() };
  } finally {
    process.env = saved;
  }
}
