import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayExceptionFilter } from '../app/gateway-exception.filter';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayErrorCode, GatewayProblem } from '../errors/gateway-errors';
import { isAllowedAddress } from '../http/client-ip';
import { requestContext } from '../http/request-context';
import { METRICS_ROUTE } from '../routing/gateway-routes';
import { GatewayMetrics } from './gateway-metrics';

/** `GET /metrics` for Prometheus, only from GATEWAY_METRICS_ALLOWED_IPS (the internet sees a 404). */
@ApiExcludeController()
@Controller(METRICS_ROUTE)
@UseFilters(GatewayExceptionFilter)
export class MetricsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isAllowedAddress(requestContext(req.raw).clientIp, this.config.metricsAllowedIps)) {
      throw new GatewayProblem(404, GatewayErrorCode.METRICS_ADDRESS, 'Not found');
    }
    const body = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(body);
  }
}
