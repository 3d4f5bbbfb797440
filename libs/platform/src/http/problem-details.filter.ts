import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { problem, sendProblem } from './problem';

/**
 * Renders every HttpException (validation 400s, 404s, 409s, ...) as an RFC 9457
 * `application/problem+json` body: one shape for every client error of the platform. Token
 * errors are rendered by the security library's RFC 6750 filter, which this does not catch;
 * database constraint violations by the DatabaseErrorFilter.
 */
@Catch(HttpException)
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception.getStatus();
    const body = exception.getResponse();
    const messages =
      typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : undefined;
    const answer = problem(status);
    if (Array.isArray(messages)) answer.errors = messages.map(String);
    else if (typeof messages === 'string') answer.detail = messages;
    else if (typeof body === 'string') answer.detail = body;
    // A 503 says "try later": tell the client when (RFC 9110 §10.2.3).
    if (status === HttpStatus.SERVICE_UNAVAILABLE && !reply.getHeader('retry-after')) reply.header('retry-after', '5');
    sendProblem(reply, answer);
  }
}
