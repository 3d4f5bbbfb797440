import { Controller, Get, Post, Put, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { startTestApp } from './testing/http-test-app';
import { Authenticated } from './authz/authenticated.decorator';
import { Public } from './authz/public.decorator';
import { AnyScope, Scopes } from './authz/scopes.decorator';
import { UnguardedHandlerError } from './errors/security-errors';
import { KafkaEventGuard } from './kafka/kafka-event.guard';
import { SecureEventPattern } from './kafka/secure-event-pattern.decorator';
import { SecurityModule } from './security.module';
import { TestIssuer } from './testing/test-issuer';

@Controller()
class PingController {
  @Authenticated() @Get('ping') ping() {
    return 'pong';
  }
}

function create(imports: unknown[], controllers: unknown[] = [PingController]): Promise<NestFastifyApplication> {
  class AppModule {}
  return NestFactory.create<NestFastifyApplication>(
    { module: AppModule, imports: imports as never[], controllers: controllers as never[] },
    new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
}

async function boot(imports: unknown[], controllers: unknown[] = [PingController]): Promise<NestFastifyApplication> {
  const app = await create(imports, controllers);
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
      expect((await app.inject({ url: '/ping', headers: { authorization: `Bearer ${issuer.token()}` } })).body).toBe(
        'pong',
      );
      expect(issuer.jwksFetchCount).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('stops start-up with one line naming the bad variable', async () => {
    Object.assign(process.env, issuer.env({ OAUTH_ISSUER: 'not-a-url' }));
    await expect(boot([SecurityModule.forRoot()])).rejects.toThrow(
      /^Invalid configuration: OAUTH_ISSUER must be an absolute URL$/,
    );
  });

  it('supports forRootAsync', async () => {
    const app = await boot([
      SecurityModule.forRootAsync({
        useFactory: async () => ({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] }),
      }),
    ]);
    try {
      expect(
        (await app.inject({ url: '/ping', headers: { authorization: `Bearer ${issuer.token()}` } })).statusCode,
      ).toBe(200);
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
    const options = () =>
      SecurityModule.forRoot({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] });

    it('plain @EventPattern / @MessagePattern: start-up fails while the app is built, before anything can start', async () => {
      @Controller()
      class Unguarded {
        @EventPattern('payments.approved') onEvent() {}
        @MessagePattern('payments.query') onMessage() {}
      }
      // NestFactory.create itself fails: there is no app whose microservices could be started.
      await expect(create([options()], [Unguarded])).rejects.toThrow(
        'Unguarded message handlers: Unguarded.onEvent, Unguarded.onMessage',
      );
    });

    it('@SecureEventPattern, @UseGuards(KafkaEventGuard) or an explicit @Public(): start-up succeeds', async () => {
      @Controller()
      class Guarded {
        @SecureEventPattern('payments.approved') onEvent() {}
        @UseGuards(KafkaEventGuard) @EventPattern('payments.rejected') onRejected() {}
        @Public() @EventPattern('public.heartbeat') onHeartbeat() {}
      }
      const app = await boot([options()], [Guarded]);
      await app.close();
    });
  });

  describe('refuses to start with a route that declares no requirement (no unguarded route)', () => {
    const options = () =>
      SecurityModule.forRoot({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] });

    it('names every offending route with its HTTP method, path and handler, in one typed error', async () => {
      @Controller('accounts')
      class Accounts {
        @Get(':id') read() {}
        @Put(':id') update() {}
        @Scopes('accounts:read') @Get() list() {}
      }
      @Controller()
      class Misc {
        @Post(['a', 'b']) many() {}
      }
      const failure = create([options()], [Accounts, Misc]);
      await expect(failure).rejects.toThrow(UnguardedHandlerError);
      await expect(failure).rejects.toThrow(
        'Routes without a declared requirement: GET /accounts/:id (Accounts.read), PUT /accounts/:id (Accounts.update), POST /a, /b (Misc.many) ' +
          '(add @Scopes(), @AnyScope() or @Authenticated(), or mark @Public())',
      );
      await expect(failure).rejects.toMatchObject({ code: 'ERR_UNGUARDED_HANDLER' });
    });

    it('routes and message handlers are reported together', async () => {
      @Controller()
      class Both {
        @Get('x') x() {}
        @EventPattern('t') t() {}
      }
      await expect(create([options()], [Both])).rejects.toThrow(
        /^Routes without a declared requirement: GET \/x \(Both\.x\) .*; Unguarded message handlers: Both\.t /,
      );
    });

    it('@Authenticated(), @Scopes(), @AnyScope() or @Public(), on the method or the class: start-up succeeds, and @Authenticated() still needs a token', async () => {
      @Controller('m')
      class OnMethods {
        @Authenticated() @Get('me') me() {
          return 'me';
        }
        @Scopes('a') @Get('s') s() {}
        @AnyScope('a', 'b') @Get('any') any() {}
        @Public() @Get('open') open() {}
      }
      @Authenticated()
      @Controller('c')
      class OnClass {
        @Get() read() {}
        @Post() write() {}
      }
      const app = await boot([options()], [OnMethods, OnClass]);
      try {
        expect((await app.inject({ url: '/m/me' })).statusCode).toBe(401);
        expect(
          (await app.inject({ url: '/m/me', headers: { authorization: `Bearer ${issuer.token({ scope: '' })}` } }))
            .body,
        ).toBe('me');
      } finally {
        await app.close();
      }
    });
  });
});
