import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JsonShapeException, requestIdFor } from '@zt/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessAuditHook, accessRecorder } from '../audit/access-audit.hook';
import { AccessLog } from '../audit/access-log';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { findApiRoute } from '../routing/api-routes';
import { CSRF_HEADER } from '../token-handler/csrf-check';
import { clientIp } from './client-ip';
import { deny, setRequestContext } from './request-context';
import { API_HELMET_OPTIONS, helmetHeaders } from './security-headers';
import { sendProblem } from './send-problem';

/**
 * The Fastify side of the gateway: plugins (cookies, CORS allowlist),
 * the request context (request id, real client IP, header-size limit), helmet's security headers
 * and the access audit.
 * Done in the constructor on purpose: providers are built by NestFactory.create, BEFORE Nest adds
 * its routes in init(), and Fastify applies hooks only to routes declared after them.
 */
@Injectable()
export class GatewayHttpSetup {
  constructor(adapterHost: HttpAdapterHost, @Inject(GATEWAY_CONFIG) config: GatewayConfig, log: AccessLog, metrics: GatewayMetrics) {
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
      const context = setRequestContext(request.raw, {
        requestId,
        startedAt: process.hrtime.bigint(),
        clientIp: clientIp(request.raw, config.trustedProxies),
        route: routeLabel(path),
        decision: 'allow',
        reason: 'PUBLIC',
      });
      reply.headers(path.startsWith('/api/') ? apiHeaders : pageHeaders).header('x-request-id', requestId);
      // An answer that never finishes gets no onResponse hook (which runs first when it does):
      // its audit line is written when the response closes.
      reply.raw.once('close', () => recordAccess(request, reply, false));
      if (headerBytes(request) > config.maxHeaderBytes) {
        Object.assign(context, { decision: 'deny', reason: 'HEADERS_TOO_LARGE' });
        sendProblem(reply, 431, 'Request headers too large');
        return;
      }
      done();
    });
    // A body refused at the door by the platform's JSON parser (shape limits) is audited as such,
    // not as a bare HTTP_400: it never reached authentication or an upstream.
    fastify.addHook('onError', (request, _reply, error, done) => {
      if (error instanceof JsonShapeException) deny(request.raw, error.reason);
      done();
    });
    fastify.addHook('onResponse', accessAuditHook(recordAccess));
    void fastify.register(fastifyCookie);
    void fastify.register(fastifyCors, {
      // Only an allowed Origin gets CORS headers; requests without one (apps, CLIs, servers) get none.
      origin: (origin: string | undefined, answer: (error: Error | null, allow: string | false) => void) => answer(null, origin !== undefined && allowedOrigins.has(origin) ? origin : false),
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'x-request-id', CSRF_HEADER],
      exposedHeaders: ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after'],
      maxAge: 600,
    });
  }
}

function routeLabel(path: string): string {
  const api = findApiRoute(path);
  if (api) return api.prefix;
  if (path.startsWith('/api/')) return 'api-unknown';
  if (/^\/auth\/(login|callback|refresh|logout|session)$/.test(path)) return 'token-handler';
  if (path === '/metrics' || path === '/health') return path.slice(1);
  if (/^\/(\.well-known\/|jwks$|auth$|auth\/|interaction\/|token$|token\/)/.test(path)) return 'authorization-server';
  return 'unmatched';
}

/** Sum of names and values as received (what the client made us parse). */
function headerBytes(request: FastifyRequest): number {
  let total = 0;
  for (const part of request.raw.rawHeaders) total += part.length + 2;
  return total;
}
