import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { TlsMaterial, TlsMaterialService, workloadAgent } from '@zt/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Agent, errors } from 'undici';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayErrorCode, GatewayProblem } from '../errors/gateway-errors';
import { recordFailure, requestContext } from '../http/request-context';
import { rawRequestBody } from './raw-request-body';
import { clientAnswerBody, UpstreamAnswerTooLargeError } from './upstream-answer-body';
import { clientResponseHeaders, upstreamRequestHeaders } from './upstream-headers';

export interface ForwardOptions {
  /** Full upstream URL without query (the client's query string is appended as is). */
  url: string;
  jwt?: string;
  /** Cookie header for the upstream (pass-through to the AS only; APIs get none). */
  cookie?: string;
  allowSetCookie: boolean;
  /** A body to send instead of the one received (re-encoded forms). */
  body?: string;
}

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends a request upstream on one undici Agent (a keep-alive pool per upstream origin). Upstream
 * failures never reach the client as they are: 5xx bodies (stack traces, internals) are replaced
 * by a generic problem (a GatewayProblem thrown to the caller's GatewayExceptionFilter), and no
 * retries are made (a retried POST could pay twice).
 * Why undici directly and not @fastify/reply-from: the gateway already decides every header and
 * the body itself, and reply-from's per-request URL, header and retry machinery cost more than the
 * forwarding (bench/gateway).
 * With TLS on, the pool connects to the services as the gateway workload (its certificate, the
 * platform CA as the only trust anchor): mutual TLS over kept-alive connections. A rotated
 * certificate builds a new pool; the old one finishes its requests and closes.
 */
@Injectable()
export class UpstreamForwarder implements OnApplicationShutdown {
  private readonly logger = new Logger('Upstream');
  private agent: Agent;
  private readonly stopFollowingRotation?: () => void;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Optional() tls?: TlsMaterialService,
  ) {
    this.agent = upstreamAgent(tls?.current());
    this.stopFollowingRotation = tls?.onChange((material) => {
      const old = this.agent;
      this.agent = upstreamAgent(material);
      void old.close();
    });
  }

  async forward(req: FastifyRequest, reply: FastifyReply, options: ForwardOptions): Promise<void> {
    const ctx = requestContext(req.raw);
    const split = options.url.indexOf('/', options.url.indexOf('://') + 3);
    const origin = split === -1 ? options.url : options.url.slice(0, split);
    const query = req.url.indexOf('?');
    const path = (split === -1 ? '/' : options.url.slice(split)) + (query === -1 ? '' : req.url.slice(query));
    const headers = upstreamRequestHeaders(req.headers, {
      jwt: options.jwt,
      cookie: options.cookie,
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
      proto: req.protocol,
    });
    const body = NO_BODY.has(req.method) ? null : requestBody(req, options.body);
    if (body === undefined) {
      // A parsed body whose bytes were not kept: the gateway forwards bytes, it never re-encodes.
      throw new GatewayProblem(
        415,
        GatewayErrorCode.BODY_NOT_FORWARDABLE,
        'This request body type is not accepted here',
      );
    }
    if (body !== null) {
      // The body goes upstream as one buffer or string, so its length is ours to state.
      delete headers['transfer-encoding'];
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    let answer;
    try {
      answer = await this.agent.request({
        origin,
        path,
        method: req.method as 'GET',
        headers: headers as Record<string, string>,
        body,
        headersTimeout: this.config.upstreamTimeoutMs,
        bodyTimeout: this.config.upstreamTimeoutMs,
      });
    } catch (error) {
      this.logger.warn(`upstream ${origin} failed: ${(error as Error).message}`);
      const timedOut = error instanceof errors.HeadersTimeoutError || error instanceof errors.ConnectTimeoutError;
      throw new GatewayProblem(
        timedOut ? 504 : 502,
        GatewayErrorCode.UPSTREAM_UNREACHABLE,
        'The service is not reachable',
      );
    }
    if (answer.statusCode >= 500) {
      answer.body.resume();
      throw new GatewayProblem(
        answer.statusCode === 503 ? 503 : 502,
        `UPSTREAM_${answer.statusCode}`,
        'The service could not complete the request',
      );
    }
    const headersOut = clientResponseHeaders(answer.headers, options.allowSetCookie);
    if (req.method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304) {
      // No body, whatever Content-Length says (for HEAD, the size of the GET answer).
      reply.code(answer.statusCode).headers(headersOut).send(answer.body);
      return;
    }
    let answerBody;
    try {
      answerBody = await clientAnswerBody(
        answer.body,
        answer.headers['content-length'],
        this.config.maxResponseBytes,
        (error) => {
          // Headers and part of the body are out: the client sees a broken transfer, the log says why,
          // and so does the audit (the answer is left unfinished, nothing is thrown to answer it).
          const reason =
            error instanceof UpstreamAnswerTooLargeError ? error.reason : GatewayErrorCode.UPSTREAM_BODY_FAILED;
          recordFailure(ctx, new GatewayProblem(502, reason, 'The service is not reachable', error.message));
          this.logger.warn(`upstream ${origin} answer cut off after its headers were sent: ${error.message}`);
        },
      );
    } catch (error) {
      if (error instanceof UpstreamAnswerTooLargeError) {
        this.logger.warn(`upstream ${origin} answer refused: ${error.message}`);
        throw new GatewayProblem(502, error.reason, 'The service answered more than the gateway passes on');
      }
      this.logger.warn(`upstream ${origin} answer failed: ${(error as Error).message}`);
      throw new GatewayProblem(
        error instanceof errors.BodyTimeoutError ? 504 : 502,
        GatewayErrorCode.UPSTREAM_BODY_FAILED,
        'The service is not reachable',
      );
    }
    reply.code(answer.statusCode).headers(headersOut).send(answerBody);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopFollowingRotation?.();
    await this.agent.close();
  }
}

/** One keep-alive pool per upstream origin; mutual TLS as the gateway workload when TLS is on. */
function upstreamAgent(tls: TlsMaterial | undefined): Agent {
  const pool: Agent.Options = { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 };
  return tls ? workloadAgent(tls, pool) : new Agent(pool);
}

/**
 * The body as it goes upstream: a replacement, the bytes the client sent, a body the framework kept
 * as text, or nothing. `undefined`: a parsed body whose bytes were not kept (never re-encoded).
 */
function requestBody(req: FastifyRequest, replacement: string | undefined): Buffer | string | null | undefined {
  if (replacement !== undefined) return replacement;
  const raw = rawRequestBody(req);
  if (raw !== undefined) return raw;
  if (req.body === undefined || req.body === null) return null;
  return typeof req.body === 'string' ? req.body : undefined;
}
