import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestContext } from '../http/request-context';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { accessDecision } from './access-decision';
import { AccessLog } from './access-log';

type RecordAccess = (request: FastifyRequest, reply: FastifyReply, finished: boolean) => void;

/**
 * Writes the audit line and the request metrics of one request, once, from the context the
 * request built up (its decision and reason derived by accessDecision). Called from onResponse
 * (an answer sent whole) and from the response's `close` (an answer that never finished: a
 * streamed answer aborted after its headers, an upstream cut off mid-body, a client gone), for
 * which Fastify runs no onResponse hook.
 */
export function accessRecorder(log: AccessLog, metrics: GatewayMetrics): RecordAccess {
  return (request, reply, finished) => {
    const ctx = requestContext(request.raw);
    if (ctx.audited) return;
    ctx.audited = true;
    const seconds = Number(process.hrtime.bigint() - ctx.startedAt) / 1e9;
    const status = reply.statusCode;
    // The headers may have said 200 when the answer did not finish: the client never got all of it.
    const { decision, reason } = accessDecision(ctx, status, finished);
    metrics.observeRequest(ctx.route, status, seconds);
    log.record({
      requestId: ctx.requestId,
      clientId: ctx.principal?.clientId || undefined,
      sub: ctx.principal?.sub,
      method: request.method,
      route: ctx.route,
      decision,
      reason,
      status,
      latencyMs: Math.round(seconds * 1e6) / 1e3,
      tokenHash: ctx.tokenHash,
    });
  };
}

/** onResponse: the audit line of an answer that was sent whole. */
export function accessAuditHook(record: RecordAccess) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    record(request, reply, true);
    done();
  };
}
