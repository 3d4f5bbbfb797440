import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlockList } from 'node:net';
import { Public } from '@zt/security';
import { PlatformMetrics } from './platform-metrics';
import { isAllowedScraper } from './scraper-address';
import { METRICS_ALLOWED_IPS } from './platform-metrics.tokens';

/**
 * `GET /metrics` for Prometheus. @Public(): it is not an API and carries no token (the scraper is
 * let in by address, METRICS_ALLOWED_IPS); excluded from OpenAPI for the same reason. Any other
 * address gets the same 404 as a route that does not exist.
 */
@ApiExcludeController()
@Controller('metrics')
export class PlatformMetricsController {
  constructor(
    private readonly metrics: PlatformMetrics,
    @Inject(METRICS_ALLOWED_IPS) private readonly allowed: BlockList,
  ) {}

  @Public()
  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isAllowedScraper(req.socket.remoteAddress, this.allowed)) {
      throw new NotFoundException(`Cannot GET ${req.url}`);
    }
    const body = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(body);
  }
}
