import { createHash } from 'node:crypto';
import { ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerException, ThrottlerGuard, type ThrottlerModuleOptions, type ThrottlerOptions, type ThrottlerRequest, type ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitDimension } from '../config/rate-limit-config';
import { requestContext, RequestContext } from '../http/request-context';
import { GatewayMetrics } from '../metrics/gateway-metrics';

const HEADERS = Symbol('rateLimitHeaders');
type WithHeaders = RequestContext & { [HEADERS]?: { policy: string[]; state: string[] } };

/**
 * @nestjs/throttler's guard, keyed by the gateway's dimensions instead of by route: `ip` (the real
 * client address), `client` and `user` (from the VERIFIED token only). Keys are hashed, so the
 * shared store (Redis) never holds addresses or user ids. Answers carry the IETF `RateLimit-Policy`
 * / `RateLimit` fields; a refusal is 429 with `Retry-After`. Subclasses pick their dimensions,
 * because the IP limit must run before authentication and the others after it.
 */
@Injectable()
export abstract class GatewayThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly dimensions: readonly RateLimitDimension[];
  private readonly log = new Logger('RateLimit');

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
  ) {
    super(options, storage, reflector);
  }

  private own?: ThrottlerOptions[];

  /**
   * The gateway's limits come only from configuration (it uses no per-route @Throttle or
   * @SkipThrottle), so this visits just the throttlers of this guard's dimensions with their
   * configured numbers. The base guard would do six metadata look-ups and three awaits for every
   * throttler on every request, for overrides that cannot exist here.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    this.own ??= this.throttlers.filter((t) => this.dimensions.includes(t.name?.split('-')[0] as RateLimitDimension));
    for (const throttler of this.own) {
      const ttl = throttler.ttl as number;
      await this.handleRequest({
        context, throttler, ttl, limit: throttler.limit as number, blockDuration: (throttler.blockDuration as number | undefined) ?? ttl,
        getTracker: this.commonOptions.getTracker!, generateKey: this.commonOptions.generateKey!,
      });
    }
    return true;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const dimension = props.throttler.name?.split('-')[0] as RateLimitDimension;
    if (!this.dimensions.includes(dimension)) return true;
    const req = props.context.switchToHttp().getRequest<FastifyRequest>();
    const ctx = requestContext(req.raw) as WithHeaders;
    const subject = trackerFor(dimension, ctx);
    if (subject === undefined) return true;
    const name = props.throttler.name as string;
    const key = createHash('sha256').update(`${name}:${subject}`).digest('base64url');
    let result;
    try {
      result = await this.storageService.increment(key, props.ttl, props.limit, props.blockDuration, name);
    } catch (error) {
      // Fail open on a store outage: limits protect capacity, authentication still protects data.
      this.log.warn(`rate-limit store unavailable, request let through: ${(error as Error).message}`);
      return true;
    }
    const windowSeconds = Math.round(props.ttl / 1000);
    const headers = (ctx[HEADERS] ??= { policy: [], state: [] });
    headers.policy.push(`"${name}";q=${props.limit};w=${windowSeconds}`);
    headers.state.push(`"${name}";r=${Math.max(0, props.limit - result.totalHits)};t=${result.isBlocked ? result.timeToBlockExpire : result.timeToExpire}`);
    const reply = props.context.switchToHttp().getResponse<FastifyReply>();
    reply.header('RateLimit-Policy', headers.policy.join(', '));
    reply.header('RateLimit', headers.state.join(', '));
    if (result.isBlocked) {
      reply.header('Retry-After', String(Math.max(1, result.timeToBlockExpire)));
      this.metrics.rateLimited.inc({ dimension });
      ctx.decision = 'deny';
      ctx.reason = `RATE_LIMIT_${name.toUpperCase()}`;
      throw new ThrottlerException('Too many requests');
    }
    return true;
  }
}

function trackerFor(dimension: RateLimitDimension, ctx: RequestContext): string | undefined {
  if (dimension === 'ip') return ctx.clientIp;
  if (!ctx.principal) return undefined;
  if (dimension === 'user') return `${ctx.principal.claims.iss as string}|${ctx.principal.sub}`;
  return ctx.principal.clientId || undefined;
}
