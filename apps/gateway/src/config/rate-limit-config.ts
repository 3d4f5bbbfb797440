import { ConfigValidationError, Env } from '@zt/platform';

export type RateLimitDimension = 'ip' | 'client' | 'user';

/** One window of one dimension, e.g. 30 requests per 1 s per user (the burst) or 300 per 60 s. */
export interface RateLimitRule {
  dimension: RateLimitDimension;
  limit: number;
  windowSeconds: number;
  /** Throttler name, e.g. `user-1s`: unique, and the key prefix in the shared store. */
  name: string;
}

const DEFAULTS: Record<RateLimitDimension, string> = {
  ip: '1200/60,100/1',
  client: '6000/60,500/1',
  user: '600/60,50/1',
};
const VARIABLES: Record<RateLimitDimension, string> = {
  ip: 'GATEWAY_RATE_LIMIT_IP',
  client: 'GATEWAY_RATE_LIMIT_CLIENT',
  user: 'GATEWAY_RATE_LIMIT_USER',
};

/**
 * `<limit>/<seconds>` windows, comma-separated: a short window bounds bursts, a long one the
 * sustained rate. `off` disables a dimension (e.g. behind a proxy that already limits by IP).
 */
export function loadRateLimitRules(env: Env): RateLimitRule[] {
  const rules: RateLimitRule[] = [];
  for (const dimension of Object.keys(VARIABLES) as RateLimitDimension[]) {
    const variable = VARIABLES[dimension];
    const raw = env[variable]?.trim() || DEFAULTS[dimension];
    if (raw === 'off') continue;
    const seen = new Set<number>();
    for (const item of raw.split(',').map((s) => s.trim())) {
      const match = /^(\d{1,9})\/(\d{1,6})$/.exec(item);
      const limit = Number(match?.[1]);
      const windowSeconds = Number(match?.[2]);
      if (!match || limit < 1 || windowSeconds < 1 || seen.has(windowSeconds)) {
        throw new ConfigValidationError(
          variable,
          `must be "off" or windows like 600/60,50/1 (limit/seconds, one per window; bad entry "${item}")`,
        );
      }
      seen.add(windowSeconds);
      rules.push({ dimension, limit, windowSeconds, name: `${dimension}-${windowSeconds}s` });
    }
  }
  return rules;
}
