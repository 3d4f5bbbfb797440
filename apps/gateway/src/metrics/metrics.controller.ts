import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { isAllowedAddress } from '../http/client-ip';
import { requestContext } from '../http/request-context';
import { sendProblem } from '../http/send-problem';
import { GatewayMetrics } from './gateway-metrics';

/** `GET /metrics` for Prometheus, only from GATEWAY_METRICS_ALLOWED_IPS (the internet sees a 404). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = requestContext(req.raw);
    if (!isAllowedAddress(ctx.clientIp, this.config.metricsAllowedIps)) {
      Object.assign(ctx, { decision: 'deny', reason: 'METRICS_ADDRESS' });
      sendProblem(reply, 404, 'Not found');
      return;
    }
    const body = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(body);
  }
}
