import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { requestContext } from '../http/request-context';
import { sendProblem } from '../http/send-problem';
import { clientResponseHeaders, upstreamRequestHeaders } from './upstream-headers';

export interface ForwardOptions {
  /** Full upstream URL without query (the client's query string is appended as is). */
  url: string;
  jwt?: string;
  /** Cookie header for the upstream (pass-through to the AS only; APIs get none). */
  cookie?: string;
  allowSetCookie: boolean;
  /** A body to send instead of the parsed one (re-encoded forms). */
  body?: string;
}

/**
 * Sends a request upstream with @fastify/reply-from (undici, pooled keep-alive connections).
 * Upstream failures never reach the client as they are: 5xx bodies (stack traces, internals) are
 * replaced by a generic problem, and no retries are made (a retried POST could pay twice).
 */
@Injectable()
export class UpstreamForwarder {
  private readonly logger = new Logger('Upstream');

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  forward(req: FastifyRequest, reply: FastifyReply, options: ForwardOptions): void {
    const ctx = requestContext(req.raw);
    reply.from(options.url, {
      ...(options.body !== undefined ? { body: options.body } : {}),
      timeout: this.config.upstreamTimeoutMs,
      retryDelay: () => null,
      rewriteRequestHeaders: (request) =>
        upstreamRequestHeaders(request.headers, {
          jwt: options.jwt,
          cookie: options.cookie,
          requestId: ctx.requestId,
          clientIp: ctx.clientIp,
          proto: request.protocol,
        }) as IncomingHttpHeaders,
      rewriteHeaders: (headers) => clientResponseHeaders(headers, options.allowSetCookie),
      onResponse: (_request, response, res) => {
        if (res.statusCode < 500) {
          void response.send(res.stream);
          return;
        }
        res.stream.resume();
        ctx.decision = 'error';
        ctx.reason = `UPSTREAM_${res.statusCode}`;
        for (const name of ['content-type', 'content-length', 'content-encoding', 'etag', 'last-modified', 'location', 'cache-control']) response.removeHeader(name);
        sendProblem(response, res.statusCode === 503 ? 503 : 502, 'The service could not complete the request');
      },
      onError: (response, { error }) => {
        ctx.decision = 'error';
        ctx.reason = 'UPSTREAM_UNREACHABLE';
        this.logger.warn(`upstream ${new URL(options.url).origin} failed: ${error.message}`);
        sendProblem(response, (error as { statusCode?: number }).statusCode === 504 ? 504 : 502, 'The service is not reachable');
      },
    });
  }
}
