import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { page, PAGE_HEADERS, escapeHtml } from './html';
import { InteractionError, InteractionsService, Outcome } from './interactions.service';

/**
 * The server-rendered sign-in and consent pages oidc-provider sends the browser to
 * (`/interaction/:uid`). Forms post back here; the result goes to oidc-provider, which
 * continues the authorization request.
 */
@ApiExcludeController()
@Controller('interaction/:uid')
export class InteractionsController {
  constructor(private readonly interactions: InteractionsService) {}

  @Get()
  show(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.respond(reply, () => this.interactions.show(raw(req, reply), uid));
  }

  @Post('login')
  login(
    @Param('uid') uid: string,
    @Body() form: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.respond(reply, () => this.interactions.login(raw(req, reply), uid, form ?? {}));
  }

  @Post('confirm')
  confirm(
    @Param('uid') uid: string,
    @Body() form: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.respond(reply, () => this.interactions.confirm(raw(req, reply), uid, form ?? {}));
  }

  @Post('abort')
  abort(
    @Param('uid') uid: string,
    @Body() form: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.respond(reply, () => this.interactions.abort(raw(req, reply), uid, form ?? {}));
  }

  private async respond(reply: FastifyReply, work: () => Promise<Outcome>): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await work();
    } catch (error) {
      if (!(error instanceof InteractionError)) throw error;
      outcome = { status: 400, page: page('Sign-in cannot continue', `<p>${escapeHtml(error.message)}</p>`) };
    }
    if ('redirect' in outcome) {
      await reply.header('cache-control', 'no-store').redirect(outcome.redirect, 303);
      return;
    }
    await reply.status(outcome.status).headers(PAGE_HEADERS).send(outcome.page);
  }
}

function raw(req: FastifyRequest, reply: FastifyReply) {
  return { req: req.raw, res: reply.raw, ip: req.ip };
}
