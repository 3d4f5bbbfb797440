import { All, Controller, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayExceptionFilter } from '../http/gateway-exception.filter';
import { requestContext } from '../http/request-context';
import { ApiAuthorizer } from '../phantom-token/api-authorizer';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { API_ROUTES } from '../routing/api-routes';
import { assertJsonBody, upstreamPath } from './forwardable-request';
import { UpstreamForwarder } from './upstream-forwarder';

const PATHS = API_ROUTES.flatMap((route) => [route.prefix.slice(1), `${route.prefix.slice(1)}/*`]);

/**
 * THE flow of an API request: `/api/<service>/...` -> `<service base URL>/<service>/...` with
 * `Authorization: Bearer <JWT>`. In order: per-IP limit (before any token work), authentication +
 * route check, per-client and per-user limits (they need the verified token), body check, forward.
 * One method rather than three guards: on the gateway's hot path each guard's execution context
 * and await cost more than the checks themselves (bench/gateway). Failures go to the filter.
 */
@ApiExcludeController()
@Controller()
@UseFilters(GatewayExceptionFilter)
export class ApiProxyController {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly authorizer: ApiAuthorizer,
    private readonly forwarder: UpstreamForwarder,
  ) {}

  @All(PATHS)
  async proxy(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = requestContext(req.raw);
    await this.limiter.enforce('ip', ctx, reply);
    await this.authorizer.authorize(req, ctx);
    await this.limiter.enforce('principal', ctx, reply);
    assertJsonBody(req);
    const path = upstreamPath(req.url);
    this.forwarder.forward(req, reply, { url: `${ctx.upstream}${path}`, jwt: ctx.principal?.token, allowSetCookie: false });
  }
}
