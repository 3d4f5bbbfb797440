import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Renders every HttpException (validation 400s, 404s, 409s, ...) as an RFC 9457
 * `application/problem+json` body: one shape for every client error of the platform. Token
 * errors are rendered by the security library's RFC 6750 filter, which this does not catch.
 */
@Catch(HttpException)
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception.getStatus();
    const body = exception.getResponse();
    const messages = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : undefined;
    const problem: Record<string, unknown> = {
      type: 'about:blank',
      title: HttpStatus[status]?.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase()) ?? 'Error',
      status,
    };
    if (Array.isArray(messages)) problem.errors = messages.map(String);
    else if (typeof messages === 'string') problem.detail = messages;
    else if (typeof body === 'string') problem.detail = body;
    // A 503 says "try later": tell the client when (RFC 9110 §10.2.3).
    if (status === HttpStatus.SERVICE_UNAVAILABLE && !reply.getHeader('retry-after')) reply.header('retry-after', '5');
    reply.status(status).header('content-type', 'application/problem+json').send(problem);
  }
}
