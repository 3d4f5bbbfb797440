import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContext } from '../http/request-context';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AccessLog } from './access-log';

/** onResponse: the audit line and the request metrics, from the context the request built up. */
export function accessAuditHook(log: AccessLog, metrics: GatewayMetrics) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const ctx = requestContext(request.raw);
    const seconds = Number(process.hrtime.bigint() - ctx.startedAt) / 1e9;
    const status = reply.statusCode;
    if (status >= 400 && ctx.decision === 'allow') Object.assign(ctx, { decision: status >= 500 ? 'error' : 'deny', reason: ctx.reason === 'OK' || ctx.reason === 'PUBLIC' ? `HTTP_${status}` : ctx.reason });
    metrics.observeRequest(ctx.route, status, seconds);
    log.record({
      requestId: ctx.requestId,
      clientId: ctx.principal?.clientId || undefined,
      sub: ctx.principal?.sub,
      method: request.method,
      route: ctx.route,
      decision: ctx.decision,
      reason: ctx.reason,
      status,
      latencyMs: Math.round(seconds * 1e6) / 1e3,
      tokenHash: ctx.tokenHash,
    });
    done();
  };
}
