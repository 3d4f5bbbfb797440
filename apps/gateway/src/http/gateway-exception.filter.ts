import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { ProblemDetailsFilter } from '@zt/platform';
import { Rfc6750ExceptionFilter, SecurityError } from '@zt/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { AuthorizationServerUnavailableError } from '../phantom-token/authorization-server-unavailable.error';
import { requestContext } from './request-context';
import { sendProblem } from './send-problem';

/**
 * One place that turns every failure on a gateway route into an answer that reveals nothing:
 * token errors per RFC 6750, other client errors as problem+json, the AS unreachable as 503 with
 * `Retry-After` (the request fails closed), and anything unexpected as a bare 500.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');
  private readonly problems = new ProblemDetailsFilter();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokenErrors: Rfc6750ExceptionFilter,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const ctx = requestContext(req.raw);
    if (error instanceof SecurityError) {
      if (ctx.decision === 'allow') Object.assign(ctx, { decision: 'deny', reason: error.code });
      this.tokenErrors.catch(error, host);
      return;
    }
    if (error instanceof HttpException) {
      if (ctx.decision === 'allow') Object.assign(ctx, { decision: 'deny', reason: (error as { reason?: string }).reason ?? `HTTP_${error.getStatus()}` });
      this.problems.catch(error, host);
      return;
    }
    if (error instanceof AuthorizationServerUnavailableError) {
      Object.assign(ctx, { decision: 'error', reason: 'AS_UNAVAILABLE' });
      this.logger.warn(error.message);
      sendProblem(reply, 503, 'Authentication is temporarily unavailable', { 'retry-after': String(this.config.retryAfterSeconds) });
      return;
    }
    Object.assign(ctx, { decision: 'error', reason: 'INTERNAL' });
    this.logger.error(`unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
    sendProblem(reply, 500, 'The request could not be completed');
  }
}
