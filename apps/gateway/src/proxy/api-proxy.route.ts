import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { GatewayExceptionFilter } from '../app/gateway-exception.filter';
import { GatewayHttpSetup } from '../app/gateway-http.setup';
import { requestContext } from '../http/request-context';
import { ApiAuthorizer } from '../authorization/api-authorizer';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { API_ROUTES } from '../routing/api-routes';
import { assertJsonBody, upstreamPath } from './forwardable-request';
import { keepRawBody } from './raw-request-body';
import { UpstreamForwarder } from './upstream-forwarder';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * THE flow of an API request: `/api/<service>/...` -> `<service base URL>/<service>/...` with
 * `Authorization: Bearer <JWT>`. In order: per-IP limit (before any token work), authentication +
 * route check, per-client and per-user limits (they need the verified token), body check, forward.
 * Failures of any step go to the GatewayExceptionFilter, as on the gateway's Nest controllers.
 *
 * Why a Fastify route owned by this provider, not a Nest controller with guards: this is the
 * gateway's hot path, and Nest's per-request controller pipeline (execution context, guards,
 * parameter resolution, exception zone) measured ~10 us per request, about a tenth of the
 * gateway's CPU per request (bench/gateway). The steps themselves stay Nest providers.
 */
@Injectable()
export class ApiProxyRoute {
  constructor(
    adapterHost: HttpAdapterHost,
    // Injected so the gateway's Fastify hooks exist before this route is declared (Fastify applies
    // hooks only to routes declared after them).
    _http: GatewayHttpSetup,
    private readonly limiter: RateLimiter,
    private readonly authorizer: ApiAuthorizer,
    private readonly forwarder: UpstreamForwarder,
    private readonly failures: GatewayExceptionFilter,
  ) {
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // The promise returned settles only once the answer is sent (a FastifyReply is a thenable that
    // waits for it). Resolving earlier, while a large answer is still streaming, made Fastify send
    // an empty answer of its own in its place: `content-length: 0`, the body lost.
    const handler = (req: FastifyRequest, reply: FastifyReply) => this.proxy(req, reply).then(() => reply);
    for (const route of API_ROUTES) {
      for (const url of [route.prefix, `${route.prefix}/*`])
        fastify.route({ method: METHODS, url, handler, preParsing: keepRawBody });
    }
  }

  async proxy(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const ctx = requestContext(req.raw);
      const ipCount = this.limiter.enforce('ip', ctx, reply);
      if (ipCount) await ipCount;
      await this.authorizer.authorize(req, ctx);
      const principalCount = this.limiter.enforce('principal', ctx, reply);
      if (principalCount) await principalCount;
      assertJsonBody(req);
      await this.forwarder.forward(req, reply, {
        url: `${ctx.upstream}${upstreamPath(req.url)}`,
        jwt: ctx.principal?.token,
        allowSetCookie: false,
      });
    } catch (error) {
      this.failures.catch(error, new ExecutionContextHost([req, reply]));
    }
  }
}
