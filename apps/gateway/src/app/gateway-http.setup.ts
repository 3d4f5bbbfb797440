import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { JsonShapeException, requestIdFor } from '@zt/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessAuditHook, accessRecorder } from '../audit/access-audit.hook';
import { AccessLog } from '../audit/access-log';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayErrorCode, GatewayProblem } from '../errors/gateway-errors';
import { clientIp } from '../http/client-ip';
import { recordFailure, requestContext, setRequestContext } from '../http/request-context';
import { API_HELMET_OPTIONS, helmetHeaders } from '../http/security-headers';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { routeLabel } from '../routing/route-label';
import { CSRF_HEADER } from '../token-handler/csrf-check';
import { GatewayExceptionFilter } from './gateway-exception.filter';

/**
 * The Fastify side of the gateway: plugins (cookies, CORS allowlist),
 * the request context (request id, real client IP, header-size limit), helmet's security headers
 * and the access audit.
 * Done in the constructor on purpose: providers are built by NestFactory.create, BEFORE Nest adds
 * its routes in init(), and Fastify applies hooks only to routes declared after them.
 */
@Injectable()
export class GatewayHttpSetup {
  constructor(
    adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    log: AccessLog,
    metrics: GatewayMetrics,
    failures: GatewayExceptionFilter,
  ) {
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Pages (sign-in, consent, passed through from the AS) get helmet's defaults; API answers a stricter, shorter set.
    const pageHeaders = helmetHeaders();
    const apiHeaders = helmetHeaders(API_HELMET_OPTIONS);
    const allowedOrigins = new Set(config.allowedOrigins);
    const recordAccess = accessRecorder(log, metrics);
    fastify.addHook('onRequest', (request, reply, done) => {
      const requestId = requestIdFor(request.raw);
      // pino-http reads the same header, so the app log and the audit share the id.
      request.raw.headers['x-request-id'] = requestId;
      const query = request.url.indexOf('?');
      const path = query === -1 ? request.url : request.url.slice(0, query);
      setRequestContext(request.raw, {
        requestId,
        startedAt: process.hrtime.bigint(),
        clientIp: clientIp(request.raw, config.trustedProxies),
        route: routeLabel(path),
      });
      reply.headers(path.startsWith('/api/') ? apiHeaders : pageHeaders).header('x-request-id', requestId);
      // An answer that never finishes gets no onResponse hook (which runs first when it does):
      // its audit line is written when the response closes.
      reply.raw.once('close', () => recordAccess(request, reply, false));
      if (headerBytes(request) > config.maxHeaderBytes) {
        failures.catch(
          new GatewayProblem(431, GatewayErrorCode.HEADERS_TOO_LARGE, 'Request headers too large'),
          new ExecutionContextHost([request, reply]),
        );
        return;
      }
      done();
    });
    // A body refused at the door by the platform's JSON parser (shape limits) is audited as such,
    // not as a bare HTTP_400: it never reached authentication or an upstream.
    fastify.addHook('onError', (request, _reply, error, done) => {
      if (error instanceof JsonShapeException) recordFailure(requestContext(request.raw), error);
      done();
    });
    fastify.addHook('onResponse', accessAuditHook(recordAccess));
    void fastify.register(fastifyCookie);
    void fastify.register(fastifyCors, {
      // Only an allowed Origin gets CORS headers; requests without one (apps, CLIs, servers) get none.
      origin: (origin: string | undefined, answer: (error: Error | null, allow: string | false) => void) =>
        answer(null, origin !== undefined && allowedOrigins.has(origin) ? origin : false),
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'x-request-id', CSRF_HEADER],
      exposedHeaders: ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after'],
      maxAge: 600,
    });
  }
}

/** Sum of names and values as received (what the client made us parse). */
function headerBytes(request: FastifyRequest): number {
  let total = 0;
  for (const part of request.raw.rawHeaders) total += part.length + 2;
  return total;
}
