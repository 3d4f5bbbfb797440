import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContext } from '../http/request-context';
import { RateLimiter } from './rate-limiter';

/** The per-IP limit for the gateway's own routes (token handler, authorization-server pass-through). */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    await this.limiter.enforce(
      'ip',
      requestContext(http.getRequest<FastifyRequest>().raw),
      http.getResponse<FastifyReply>(),
    );
    return true;
  }
}
