import { hash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { RateLimitDimension, RateLimitRule } from '../config/rate-limit-config';
import { DeniedException, GatewayErrorCode } from '../errors/gateway-errors';
import { RequestContext } from '../http/request-context';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';

/** `ip` runs before authentication (floods cost no introspection); `principal` after it. */
export type RateLimitStage = 'ip' | 'principal';
const STAGE_DIMENSIONS: Record<RateLimitStage, readonly RateLimitDimension[]> = {
  ip: ['ip'],
  principal: ['client', 'user'],
};

interface HeaderTarget {
  header(name: string, value: string): unknown;
}

/** The window closest to its limit so far, for the `RateLimit` field. */
interface Tightest {
  name: string;
  remaining: number;
  resetSeconds: number;
  share: number;
}
const TIGHTEST = Symbol('rateLimitTightest');
const STORE_DOWN = Symbol('rateLimitStoreDown');
type Count = Awaited<ReturnType<ThrottlerStorage['increment']>> | typeof STORE_DOWN | undefined;

/**
 * Per-IP, per-client and per-user limits, counted by @nestjs/throttler's storage (in memory, or
 * the Redis storage when REDIS_URL is set, so every gateway instance counts in one place). The
 * gateway's limits come only from configuration, so it calls the storage itself instead of the
 * ThrottlerGuard: the guard's per-route metadata look-ups, per-window awaits and hashing cost more
 * than the counting (bench/gateway). Keys in the SHARED store are SHA-256 of the subject (Redis
 * never holds addresses or user ids); in memory the subject is the key (it never leaves the process).
 *
 * Answers carry `RateLimit-Policy` (every window that applied) and `RateLimit` (the window closest
 * to its limit), IETF draft-ietf-httpapi-ratelimit-headers; a refusal is 429 with `Retry-After`.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimit');
  private readonly rules: Record<RateLimitStage, readonly RateLimitRule[]>;
  private readonly policyAfter: Record<RateLimitStage, string>;
  private readonly hashKeys: boolean;
  private readonly failClosed: boolean;
  /** The in-memory storage, counted without Promises; undefined with a shared store. */
  private readonly memory: FixedWindowMemoryStorage | undefined;
  private readonly retryAfter: string;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly metrics: GatewayMetrics,
  ) {
    const forStage = (stage: RateLimitStage) =>
      config.rateLimits.filter((rule) => STAGE_DIMENSIONS[stage].includes(rule.dimension));
    this.rules = { ip: forStage('ip'), principal: forStage('principal') };
    const policy = (rules: readonly RateLimitRule[]) =>
      rules.map((rule) => `"${rule.name}";q=${rule.limit};w=${rule.windowSeconds}`);
    this.policyAfter = {
      ip: policy(this.rules.ip).join(', '),
      principal: policy([...this.rules.ip, ...this.rules.principal]).join(', '),
    };
    this.hashKeys = Boolean(config.redisUrl);
    this.failClosed = config.rateLimitStoreFailure === 'closed';
    this.memory = storage instanceof FixedWindowMemoryStorage ? storage : undefined;
    this.retryAfter = String(config.retryAfterSeconds);
  }

  /**
   * Counts this request in every window of the stage; throws 429 when one is exhausted. In memory
   * it answers synchronously (undefined: no Promise, no await on the hot path); with Redis it
   * returns the Promise of the stage's counts, made in parallel.
   */
  enforce(stage: RateLimitStage, ctx: RequestContext, reply: HeaderTarget): Promise<void> | undefined {
    const rules = this.rules[stage];
    if (rules.length === 0) return undefined;
    const keys = rules.map((rule) => this.keyFor(rule.dimension, ctx));
    const memory = this.memory;
    if (memory) {
      const results = rules.map((rule, i) =>
        keys[i] === undefined
          ? undefined
          : memory.hit(keys[i], rule.windowSeconds * 1000, rule.limit, rule.windowSeconds * 1000, rule.name),
      );
      this.settle(stage, rules, results, ctx, reply);
      return undefined;
    }
    const counted = rules.map((rule, i) => (keys[i] === undefined ? undefined : this.count(rule, keys[i])));
    return Promise.all(counted).then((results) => this.settle(stage, rules, results, ctx, reply));
  }

  private keyFor(dimension: RateLimitDimension, ctx: RequestContext): string | undefined {
    const subject = subjectFor(dimension, ctx);
    if (subject === undefined || !this.hashKeys) return subject;
    return hash('sha256', `${dimension}:${subject}`, 'base64url');
  }

  /** Headers from every count of the stage, then the verdict: 503 (store down, fail closed), 429 or pass. */
  private settle(
    stage: RateLimitStage,
    rules: readonly RateLimitRule[],
    results: readonly Count[],
    ctx: RequestContext,
    reply: HeaderTarget,
  ): void {
    if (this.failClosed && results.includes(STORE_DOWN)) {
      reply.header('Retry-After', this.retryAfter);
      throw new DeniedException(
        503,
        'Rate limiting is temporarily unavailable',
        GatewayErrorCode.RATE_LIMIT_STORE_DOWN,
      );
    }
    const state = ctx as RequestContext & { [TIGHTEST]?: Tightest };
    let blocked: { rule: RateLimitRule; retryAfter: number } | undefined;
    // One result per rule, in the same order.
    rules.forEach((rule, index) => {
      const result = results[index];
      if (!result || result === STORE_DOWN) return;
      const remaining = Math.max(0, rule.limit - result.totalHits);
      const share = remaining / rule.limit;
      if (!state[TIGHTEST] || share < state[TIGHTEST].share) {
        state[TIGHTEST] = {
          name: rule.name,
          remaining,
          share,
          resetSeconds: result.isBlocked ? result.timeToBlockExpire : result.timeToExpire,
        };
      }
      if (result.isBlocked && !blocked) blocked = { rule, retryAfter: Math.max(1, result.timeToBlockExpire) };
    });
    const tightest = state[TIGHTEST];
    reply.header('RateLimit-Policy', this.policyAfter[stage]);
    if (tightest) reply.header('RateLimit', `"${tightest.name}";r=${tightest.remaining};t=${tightest.resetSeconds}`);
    if (blocked) {
      reply.header('Retry-After', String(blocked.retryAfter));
      this.metrics.rateLimited.inc({ dimension: blocked.rule.dimension });
      throw new DeniedException(429, 'Too many requests', `RATE_LIMIT_${blocked.rule.name.toUpperCase()}`);
    }
  }

  private async count(rule: RateLimitRule, key: string): Promise<Count> {
    const ttl = rule.windowSeconds * 1000;
    try {
      return await this.storage.increment(key, ttl, rule.limit, ttl, rule.name);
    } catch (error) {
      // GATEWAY_RATE_LIMIT_STORE_FAILURE decides: let through (default) or 503 (see enforce).
      this.metrics.rateLimitStoreErrors.inc();
      this.logger.warn(
        `rate-limit store unavailable (${this.failClosed ? 'request refused' : 'request let through'}): ${(error as Error).message}`,
      );
      return STORE_DOWN;
    }
  }
}

function subjectFor(dimension: RateLimitDimension, ctx: RequestContext): string | undefined {
  if (dimension === 'ip') return ctx.clientIp;
  if (!ctx.principal) return undefined;
  if (dimension === 'user') return `${ctx.principal.claims.iss as string}|${ctx.principal.sub}`;
  return ctx.principal.clientId || undefined;
}
