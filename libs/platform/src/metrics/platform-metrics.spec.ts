import { Controller, Get, Module, Param, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Authenticated, Public, SecurityModule } from '@zt/security';
import { PlatformModule } from '../platform.module';
import { configFailure } from '../testing/config-failure';
import { expectProblem } from '../testing/expect-problem';
import { startSecuredAppForTest, type SecuredTestApp } from '../testing/start-secured-app-for-test';
import { declaresOwnMetricsRoute } from './own-metrics-route';
import { readMetricsAllowedIps } from './metrics-settings';

@Controller('items')
class ItemsController {
  @Public() @Get(':id') item(@Param('id') id: string) {
    return { id };
  }

  @Authenticated() @Get(':id/secret') secret() {
    return { secret: true };
  }
}

/** A fresh module class per call: the platform reads its configuration when the module is defined. */
function probeModule(): Type<unknown> {
  @Module({
    imports: [PlatformModule.forService({ name: 'metrics-probe', defaultPort: 3997 }), SecurityModule.forRoot()],
    controllers: [ItemsController],
  })
  class MetricsProbeModule {}
  return MetricsProbeModule;
}

async function startProbe(env: Record<string, string> = {}): Promise<SecuredTestApp> {
  return startSecuredAppForTest({
    name: 'metrics-probe',
    audience: 'metrics-probe',
    loadModule: async () => probeModule(),
    env: { NODE_ENV: 'test', ...env },
  });
}

function scrape(app: NestFastifyApplication, remoteAddress: string) {
  return app.inject({ method: 'GET', url: '/metrics', remoteAddress });
}

/** The value of the sample line starting with `prefix` (0 when absent). */
function sample(text: string, prefix: string): number {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('platform metrics (GET /metrics on every app built by createService)', () => {
  let probe: SecuredTestApp;
  beforeAll(async () => {
    probe = await startProbe();
  });
  afterAll(async () => {
    await probe?.close();
  });

  it('answers a loopback scraper with Prometheus text, without a token (the route is @Public)', async () => {
    const res = await scrape(probe.app, '127.0.0.1');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/plain');
    expect(res.body).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(res.body).toContain('# TYPE http_requests_total counter');
    // The guard is really on: a declared route still needs a token.
    expect((await probe.app.inject({ method: 'GET', url: '/items/1/secret' })).statusCode).toBe(401);
  });

  it('answers ::1 and IPv4-mapped loopback too', async () => {
    expect((await scrape(probe.app, '::1')).statusCode).toBe(200);
    expect((await scrape(probe.app, '::ffff:127.0.0.1')).statusCode).toBe(200);
  });

  it('answers any other address with the 404 problem of a route that does not exist', async () => {
    const res = await scrape(probe.app, '203.0.113.9');
    expectProblem(res, 404, 'Not found', 'Cannot GET /metrics');
    expect(res.body).not.toContain('process_cpu');
    // A forwarded-for header is a claim, not an address.
    const forged = await probe.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(forged.statusCode).toBe(404);
  });

  it('counts requests under the route template and status, never the raw path', async () => {
    await probe.app.inject({ method: 'GET', url: '/items/4711-secret-id' });
    await probe.app.inject({ method: 'GET', url: '/no/such/path/99' });
    const text = (await scrape(probe.app, '127.0.0.1')).body;
    expect(sample(text, 'http_requests_total{method="GET",route="/items/:id",status="200"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/items/:id",status="200"}')).toBe(1);
    expect(text).not.toContain('4711');
    expect(text).not.toContain('/no/such/path');
  });

  it('counts token verifications by outcome and stable error code, and JWKS fetches', async () => {
    const before = (await scrape(probe.app, '127.0.0.1')).body;
    const at = (text: string, labels: string) => sample(text, `security_token_verifications_total{${labels}}`);
    const get = (authorization?: string) =>
      probe.app.inject({ method: 'GET', url: '/items/1/secret', headers: authorization ? { authorization } : {} });

    expect((await get()).statusCode).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const expired = probe.issuer.token({ iat: now - 900 }, { expiresInSeconds: -300 });
    expect((await get(`Bearer ${expired}`)).statusCode).toBe(401);
    expect((await get(`Bearer ${probe.issuer.token()}`)).statusCode).toBe(200);

    const after = (await scrape(probe.app, '127.0.0.1')).body;
    const missing = 'outcome="refused",code="ERR_TOKEN_MISSING"';
    const late = 'outcome="refused",code="ERR_JWT_EXPIRED"';
    const ok = 'outcome="verified",code="none"';
    expect(at(after, missing) - at(before, missing)).toBe(1);
    expect(at(after, late) - at(before, late)).toBe(1);
    expect(at(after, ok) - at(before, ok)).toBe(1);
    // The key store fetched the issuer's JWKS (start-up warm-up or first token) and said so.
    expect(sample(after, 'security_jwks_fetches_total{outcome="success"}')).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain(expired.slice(0, 20));
  });

  it('is left out of the OpenAPI document', async () => {
    const doc = (await probe.app.inject({ method: 'GET', url: '/docs-json' })).json();
    expect(Object.keys(doc.paths)).toContain('/items/{id}');
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });

  it('keeps a registry per app: a second app in the process counts only its own requests', async () => {
    const other = await startProbe();
    try {
      const text = (await scrape(other.app, '127.0.0.1')).body;
      expect(sample(text, 'http_requests_total{method="GET",route="/items/:id",status="200"}')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('answers only the addresses in METRICS_ALLOWED_IPS when it is set', async () => {
    const ranged = await startProbe({ METRICS_ALLOWED_IPS: '203.0.113.0/24' });
    try {
      expect((await scrape(ranged.app, '203.0.113.9')).statusCode).toBe(200);
      expect((await scrape(ranged.app, '127.0.0.1')).statusCode).toBe(404);
    } finally {
      await ranged.close();
    }
  });
});

describe('METRICS_ALLOWED_IPS', () => {
  it('defaults to loopback, in production too', () => {
    const list = readMetricsAllowedIps({});
    expect(list.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(list.check('::1', 'ipv6')).toBe(true);
    expect(list.check('10.0.0.1', 'ipv4')).toBe(false);
  });

  it('refuses a bad entry, naming the variable', () => {
    const error = configFailure(() => readMetricsAllowedIps({ METRICS_ALLOWED_IPS: '10.0.0.1,prometheus' }));
    expect(error.message).toContain('METRICS_ALLOWED_IPS');
    expect(error.message).toContain('prometheus');
  });
});

describe('declaresOwnMetricsRoute', () => {
  @Controller('/metrics/')
  class OwnMetricsController {}

  it('finds a /metrics controller in an imported dynamic module, so the platform route is left out', () => {
    @Module({})
    class Inner {}
    @Module({ imports: [{ module: Inner, controllers: [OwnMetricsController] }] })
    class Root {}
    expect(declaresOwnMetricsRoute(Root)).toBe(true);
  });

  it('finds none in an app without one', () => {
    @Module({ controllers: [ItemsController] })
    class Root {}
    expect(declaresOwnMetricsRoute(Root)).toBe(false);
  });
});
