import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem';

/** What a client is told when Fastify refuses a request before any route runs, by error code. */
const DETAIL: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is too long',
};

/**
 * Fastify's `frameworkErrors` handler: a URL whose percent-encoding is not UTF-8 (`%ED%A0%80`, a
 * lone surrogate) or a path parameter over `maxParamLength` is refused by the router itself, with
 * a JSON body of its own that echoes the path. This gives it the platform's problem shape instead,
 * without the path (it may carry personal data).
 */
export function renderFrameworkError(
  error: Error & { code?: string; statusCode?: number },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  sendProblem(reply, problem(status, { detail: DETAIL[error.code ?? ''] ?? 'the request could not be routed' }));
}
