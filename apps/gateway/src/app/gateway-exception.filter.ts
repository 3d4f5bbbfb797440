import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { ProblemDetailsFilter } from '@zt/platform';
import { Rfc6750ExceptionFilter, SecurityError } from '@zt/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizationServerUnavailableError } from '../authorization-server/authorization-server-unavailable.error';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayProblem } from '../errors/gateway-errors';
import { recordFailure, requestContext } from '../http/request-context';
import { sendProblem } from '../http/send-problem';

/**
 * One place that turns every failure on a gateway route into an answer that reveals nothing:
 * token errors per RFC 6750, other client errors as problem+json, the gateway's own failures
 * (upstream, oversized headers, ...) as the problem they carry, the AS unreachable as 503 with
 * `Retry-After` (the request fails closed), and anything unexpected as a bare 500. The error is
 * kept on the request context: the access audit derives its decision from it (accessDecision).
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
    recordFailure(requestContext(req.raw), error);
    if (error instanceof SecurityError) {
      this.tokenErrors.catch(error, host);
      return;
    }
    if (error instanceof HttpException) {
      this.problems.catch(error, host);
      return;
    }
    if (error instanceof GatewayProblem) {
      error.send(reply);
      return;
    }
    if (error instanceof AuthorizationServerUnavailableError) {
      this.logger.warn(error.message);
      sendProblem(reply, 503, 'Authentication is temporarily unavailable', {
        'retry-after': String(this.config.retryAfterSeconds),
      });
      return;
    }
    this.logger.error(`unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
    sendProblem(reply, 500, 'The request could not be completed');
  }
}
