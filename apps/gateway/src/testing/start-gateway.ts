import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startAppForTest } from '@zt/platform/testing';

/** The real gateway app (no port; use `inject`) or listening on 127.0.0.1 with `listen: true`. */
export async function startGateway(
  env: Record<string, string>,
  options: { listen?: boolean } = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await startAppForTest({
    name: 'gateway',
    loadModule: async () => (await import('../app/app.module')).AppModule,
    env: { GATEWAY_ACCESS_LOG: 'false', ...env },
  });
  if (!options.listen) return { app, url: '' };
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** Counter value from the gateway's /metrics text (0 when absent). */
export async function metricValue(app: NestFastifyApplication, line: string): Promise<number> {
  const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
  const found = res.body.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : 0;
}
