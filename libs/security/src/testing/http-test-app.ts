import { Controller, Get, Param, Post, Req, UseGuards, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SecurityOptions } from '../config/security-options';
import { SecurityModule } from '../security.module';
import { Public } from '../authz/public.decorator';
import { AnyScope, Scopes } from '../authz/scopes.decorator';
import { Authenticated } from '../authz/authenticated.decorator';
import { ClaimMatchesParam } from '../authz/claim-matches-param.decorator';
import { CurrentPrincipal } from '../authz/current-principal.decorator';
import { assertOwnedBy } from '../authz/assert-owned-by';
import type { Principal } from '../verification/principal';
import type { TestIssuer } from './test-issuer';

/** A small bank-like controller exercising every decorator; used by the HTTP specs. */
@Controller()
export class BankTestController {
  @Public() @Get('health') health() {
    return { ok: true };
  }
  @Authenticated() @Get('me') me(@CurrentPrincipal() p: Principal) {
    return { sub: p.sub, scopes: p.scopes };
  }
  @Scopes('accounts:read') @Get('accounts') accounts() {
    return { accounts: [] };
  }
  @Scopes('accounts:read', 'accounts:write') @Get('accounts/both') both() {
    return { ok: true };
  }
  @AnyScope('payments:read', 'payments:write') @Get('payments') payments() {
    return { ok: true };
  }
  @Scopes('payments:approve') @ClaimMatchesParam('transaction_id', 'id') @Post('payments/:id/approve') approve(
    @Param('id') id: string,
  ) {
    return { approved: id };
  }
  @Authenticated() @Get('users/:owner/profile') profile(
    @CurrentPrincipal() p: Principal,
    @Param('owner') owner: string,
  ) {
    assertOwnedBy(p, owner === 'nobody' ? undefined : owner);
    return { owner };
  }
  @Public() @Get('public/whoami') whoami(@CurrentPrincipal() p: Principal) {
    return { sub: p.sub };
  }
  @Public() @UseGuards(AuthGuard('jwt')) @Get('passport') viaPassport(@Req() req: { user: Principal }) {
    return { sub: req.user.sub };
  }
}

export async function startTestApp(
  issuer: TestIssuer,
  overrides: Partial<SecurityOptions> = {},
  controllers: Type<unknown>[] = [BankTestController],
  /** e.g. `new FastifyAdapter({ https: {...} })` for the TLS specs. */
  adapter: FastifyAdapter = new FastifyAdapter(),
): Promise<NestFastifyApplication> {
  class TestAppModule {}
  const app = await NestFactory.create<NestFastifyApplication>(
    {
      module: TestAppModule,
      imports: [
        SecurityModule.forRoot({
          issuer: issuer.issuer,
          jwksUri: issuer.jwksUri,
          audiences: [issuer.audience],
          ...overrides,
        }),
      ],
      controllers,
    },
    adapter,
    // A refused start-up (e.g. an unguarded route) rejects here instead of exiting the test process.
    { logger: false, abortOnError: false },
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
