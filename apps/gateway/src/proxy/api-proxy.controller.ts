import { All, Controller, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayExceptionFilter } from '../http/gateway-exception.filter';
import { requestContext } from '../http/request-context';
import { ApiAuthGuard } from '../phantom-token/api-auth.guard';
import { IpThrottlerGuard } from '../rate-limit/ip-throttler.guard';
import { PrincipalThrottlerGuard } from '../rate-limit/principal-throttler.guard';
import { API_ROUTES } from '../routing/api-routes';
import { assertJsonBody, upstreamPath } from './forwardable-request';
import { UpstreamForwarder } from './upstream-forwarder';

const PATHS = API_ROUTES.flatMap((route) => [route.prefix.slice(1), `${route.prefix.slice(1)}/*`]);

/**
 * `/api/<service>/...` -> `<service base URL>/<service>/...` with `Authorization: Bearer <JWT>`.
 * Guards run in order: per-IP limit (before any token work), authentication + route check,
 * per-client and per-user limits (they need the verified token).
 */
@ApiExcludeController()
@Controller()
@UseFilters(GatewayExceptionFilter)
export class ApiProxyController {
  constructor(private readonly forwarder: UpstreamForwarder) {}

  @All(PATHS)
  @UseGuards(IpThrottlerGuard, ApiAuthGuard, PrincipalThrottlerGuard)
  proxy(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const ctx = requestContext(req.raw);
    assertJsonBody(req);
    const path = upstreamPath(req.url);
    this.forwarder.forward(req, reply, { url: `${ctx.upstream}${path}`, jwt: ctx.principal?.token, allowSetCookie: false });
  }
}
