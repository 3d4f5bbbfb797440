import { ConfigurationError } from '../errors/security-errors';

/** Asymmetric JWS algorithms only: HMAC would let anyone holding the public key forge tokens. */
export const SUPPORTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type JwsAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export interface SecurityOptions {
  /** OAUTH_ISSUER: the only trusted `iss`, compared byte for byte. */
  issuer: string;
  /** OAUTH_JWKS_URI: the only place keys come from (never from the token). */
  jwksUri: string;
  /** OAUTH_AUDIENCE: accepted `aud` values; a token needs at least one. */
  audiences: string[];
  /** OAUTH_ALGORITHMS: allowlist, default RS256,ES256. */
  algorithms: JwsAlgorithm[];
  /** OAUTH_CLOCK_SKEW_SECONDS: leeway for exp/nbf/iat, default 30, at most 120. */
  clockSkewSeconds: number;
  /** OAUTH_REQUIRE_AT_JWT_TYP: demand `typ: at+jwt` (RFC 9068), default true. */
  requireAtJwtTyp: boolean;
  /** INTERNAL_SERVICE_URLS: the only base URLs the caller's token is forwarded to. */
  internalServiceUrls: string[];
  /** Authorization headers longer than this are refused before any parsing. */
  maxAuthorizationHeaderBytes: number;
  /** Unknown `kid` refetches the JWKS at most once per this interval. */
  jwksMinRefreshIntervalMs: number;
  /** After a failed JWKS fetch, the next attempt may come this soon (default 2 s, never above the interval). */
  jwksRetryAfterFailureMs: number;
  /** Keys are refreshed in the background after this age; stale keys keep working if that fails. */
  jwksMaxAgeMs: number;
  jwksTimeoutMs: number;
  /** Bound of the verified-token cache (entries); 0 disables it. */
  verifiedTokenCacheSize: number;
  /** `realm` in the WWW-Authenticate challenge. */
  realm: string;
}

const DEFAULTS = {
  algorithms: ['RS256', 'ES256'] as JwsAlgorithm[],
  clockSkewSeconds: 30,
  requireAtJwtTyp: true,
  internalServiceUrls: [] as string[],
  maxAuthorizationHeaderBytes: 8192,
  jwksMinRefreshIntervalMs: 30_000,
  jwksRetryAfterFailureMs: 2_000,
  jwksMaxAgeMs: 10 * 60_000,
  jwksTimeoutMs: 5_000,
  verifiedTokenCacheSize: 10_000,
  realm: 'api',
};
export const MAX_CLOCK_SKEW_SECONDS = 120;

type Env = Record<string, string | undefined>;

/**
 * Production rules unless development is chosen explicitly (NODE_ENV `development` or `test`):
 * an unset or unknown NODE_ENV gets production's checks. The platform reads the mode in
 * libs/platform (env-readers.ts: readMode, isDevelopment), where an unknown value also stops
 * start-up; this library is copied into other services alone and imports no workspace lib, so
 * it carries its own copy of this one rule. Keep the two in step.
 */
export function isDevelopmentMode(env: Env = process.env): boolean {
  const mode = env.NODE_ENV?.trim();
  return mode === 'development' || mode === 'test';
}
const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/**
 * Builds the options from the contract's environment variables; explicit options win.
 * Any problem throws one line naming the variable, so a bad deployment stops at start-up.
 */
export function resolveSecurityOptions(
  overrides: Partial<SecurityOptions> = {},
  env: Env = process.env,
): SecurityOptions {
  const skewEnv = env.OAUTH_CLOCK_SKEW_SECONDS;
  const typEnv = env.OAUTH_REQUIRE_AT_JWT_TYP;
  const options: SecurityOptions = {
    ...DEFAULTS,
    issuer: env.OAUTH_ISSUER ?? '',
    jwksUri: env.OAUTH_JWKS_URI ?? '',
    audiences: list(env.OAUTH_AUDIENCE) ?? [],
    algorithms: (list(env.OAUTH_ALGORITHMS) as JwsAlgorithm[] | undefined) ?? DEFAULTS.algorithms,
    clockSkewSeconds: skewEnv?.trim() ? Number(skewEnv) : DEFAULTS.clockSkewSeconds,
    requireAtJwtTyp: typEnv?.trim() ? parseBoolean('OAUTH_REQUIRE_AT_JWT_TYP', typEnv) : DEFAULTS.requireAtJwtTyp,
    internalServiceUrls: list(env.INTERNAL_SERVICE_URLS) ?? DEFAULTS.internalServiceUrls,
    ...stripUndefined(overrides),
  };
  validate(options, !isDevelopmentMode(env));
  return Object.freeze(options);
}

function validate(o: SecurityOptions, production: boolean): void {
  requireUrl('OAUTH_ISSUER', o.issuer, false);
  requireUrl('OAUTH_JWKS_URI', o.jwksUri, production);
  if (o.audiences.length === 0) throw new ConfigurationError('OAUTH_AUDIENCE', 'must list at least one audience');
  if (o.algorithms.length === 0) throw new ConfigurationError('OAUTH_ALGORITHMS', 'must list at least one algorithm');
  for (const alg of o.algorithms) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ConfigurationError(
        'OAUTH_ALGORITHMS',
        `must list only ${SUPPORTED_ALGORITHMS.join(', ')} (got ${alg})`,
      );
    }
  }
  if (!Number.isInteger(o.clockSkewSeconds) || o.clockSkewSeconds < 0 || o.clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS) {
    throw new ConfigurationError('OAUTH_CLOCK_SKEW_SECONDS', `must be an integer from 0 to ${MAX_CLOCK_SKEW_SECONDS}`);
  }
  for (const url of o.internalServiceUrls) requireUrl('INTERNAL_SERVICE_URLS', url, false);
  for (const [name, value] of Object.entries({
    maxAuthorizationHeaderBytes: o.maxAuthorizationHeaderBytes,
    jwksMinRefreshIntervalMs: o.jwksMinRefreshIntervalMs,
    jwksRetryAfterFailureMs: o.jwksRetryAfterFailureMs,
    jwksMaxAgeMs: o.jwksMaxAgeMs,
    jwksTimeoutMs: o.jwksTimeoutMs,
    verifiedTokenCacheSize: o.verifiedTokenCacheSize,
  })) {
    if (!Number.isInteger(value) || value < 0) throw new ConfigurationError(name, 'must be a non-negative integer');
  }
}

/** In production, keys must travel over TLS unless the JWKS is on this machine. */
function requireUrl(variable: string, value: string, requireTls: boolean): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(variable, 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(variable, 'must be an http(s) URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (requireTls && url.protocol !== 'https:' && !loopback) {
    throw new ConfigurationError(variable, 'must use https in production');
  }
}

function parseBoolean(variable: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ConfigurationError(variable, 'must be true or false');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
