import { verify, type KeyObject, createPublicKey, type JsonWebKey } from 'node:crypto';
import {
  Controller,
  Get,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Authenticated, Public, SecurityModule } from '../../libs/security/src/index';

@Controller()
class BenchController {
  @Authenticated() @Get('guarded') guarded() {
    return { ok: true };
  }
  @Public() @Get('public') open() {
    return { ok: true };
  }
}

export interface BenchConfig {
  issuer: string;
  jwksUri: string;
  audience: string;
  jwks: { keys: (JsonWebKey & { kid: string })[] };
}

/** The baseline: "a few lines of raw node:crypto" as a guard (RS256 only, keys preloaded). */
function rawGuard(config: BenchConfig) {
  const keys = new Map<string, KeyObject>(
    config.jwks.keys.map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })]),
  );
  @Injectable()
  class RawGuard implements CanActivate {
    canActivate(ctx: ExecutionContext): boolean {
      const auth: string = ctx.switchToHttp().getRequest().headers.authorization ?? '';
      const [h = '', p = '', s = ''] = auth.slice(7).split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const key = keys.get(header.kid);
      if (
        header.alg !== 'RS256' ||
        !key ||
        !verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))
      )
        throw new UnauthorizedException();
      const c = JSON.parse(Buffer.from(p, 'base64url').toString());
      if (
        c.iss !== config.issuer ||
        c.aud !== config.audience ||
        !(c.exp > Date.now() / 1000) ||
        typeof c.sub !== 'string'
      )
        throw new UnauthorizedException();
      return true;
    }
  }
  return RawGuard;
}

async function listen(module: object): Promise<number> {
  const app = await NestFactory.create<NestFastifyApplication>(module as never, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as { port: number }).port;
}

/** Three identical apps that differ only in the guard: library (cache off), library (cache on), raw. */
export async function startBenchApps(config: BenchConfig): Promise<{ fresh: number; cached: number; raw: number }> {
  const security = (cacheSize: number) =>
    SecurityModule.forRoot({
      issuer: config.issuer,
      jwksUri: config.jwksUri,
      audiences: [config.audience],
      verifiedTokenCacheSize: cacheSize,
    });
  class FreshModule {}
  class CachedModule {}
  class RawModule {}
  return {
    fresh: await listen({ module: FreshModule, imports: [security(0)], controllers: [BenchController] }),
    cached: await listen({ module: CachedModule, imports: [security(10_000)], controllers: [BenchController] }),
    raw: await listen({
      module: RawModule,
      controllers: [BenchController],
      providers: [{ provide: APP_GUARD, useClass: rawGuard(config) }],
    }),
  };
}
