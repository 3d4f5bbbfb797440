import { Controller, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { startTestApp } from './http/http-test-app';
import { Public } from './authz/public.decorator';
import { SecureEventPattern } from './kafka/secure-event-pattern.decorator';
import { SecurityModule } from './security.module';
import { TestIssuer } from './testing/test-issuer';

@Controller()
class PingController {
  @Get('ping') ping() {
    return 'pong';
  }
}

async function boot(imports: unknown[], controllers: unknown[] = [PingController]): Promise<NestFastifyApplication> {
  class AppModule {}
  const app = await NestFactory.create<NestFastifyApplication>({ module: AppModule, imports: imports as never[], controllers: controllers as never[] }, new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.init();
  return app;
}

describe('SecurityModule', () => {
  let issuer: TestIssuer;
  const env = { ...process.env };
  beforeEach(async () => (issuer = await TestIssuer.start()));
  afterEach(async () => {
    process.env = { ...env };
    await issuer.stop();
  });

  it('reads the contract from the environment, warms the JWKS at start-up and guards every route', async () => {
    Object.assign(process.env, issuer.env());
    const app = await boot([SecurityModule.forRoot()]);
    try {
      expect(issuer.jwksFetchCount).toBe(1);
      expect((await app.inject({ url: '/ping' })).statusCode).toBe(401);
      expect((await app.inject({ url: '/ping', headers: { authorization: `Bearer ${issuer.token()}` } })).body).toBe('pong');
      expect(issuer.jwksFetchCount).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('stops start-up with one line naming the bad variable', async () => {
    Object.assign(process.env, issuer.env({ OAUTH_ISSUER: 'not-a-url' }));
    await expect(boot([SecurityModule.forRoot()])).rejects.toThrow(/^Invalid configuration: OAUTH_ISSUER must be an absolute URL$/);
  });

  it('supports forRootAsync', async () => {
    const app = await boot([SecurityModule.forRootAsync({ useFactory: async () => ({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] }) })]);
    try {
      expect((await app.inject({ url: '/ping', headers: { authorization: `Bearer ${issuer.token()}` } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('starts while the AS is down, fails closed, and recovers without restart', async () => {
    issuer.available = false;
    const app = await startTestApp(issuer, { jwksMinRefreshIntervalMs: 0 }, [PingController]);
    try {
      const auth = { authorization: `Bearer ${issuer.token()}` };
      expect((await app.inject({ url: '/ping', headers: auth })).statusCode).toBe(401);
      issuer.available = true;
      expect((await app.inject({ url: '/ping', headers: auth })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  describe('refuses to start with an unguarded message handler (fail closed for microservices)', () => {
    const options = () => SecurityModule.forRoot({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] });

    it('plain @EventPattern / @MessagePattern: start-up fails', async () => {
      @Controller()
      class Unguarded {
        @EventPattern('payments.approved') onEvent() {}
        @MessagePattern('payments.query') onMessage() {}
      }
      await expect(boot([options()], [Unguarded])).rejects.toThrow('Unguarded message handlers: Unguarded.onEvent, Unguarded.onMessage');
    });

    it('@SecureEventPattern or an explicit @Public(): start-up succeeds', async () => {
      @Controller()
      class Guarded {
        @SecureEventPattern('payments.approved') onEvent() {}
        @Public() @EventPattern('public.heartbeat') onHeartbeat() {}
      }
      const app = await boot([options()], [Guarded]);
      await app.close();
    });
  });
});
