import type { BlockList } from 'node:net';
import {
  ConfigValidationError,
  Env,
  readAddressList,
  readBoolean,
  readInteger,
  readKey,
  readMode,
  readOptional,
  readOrigins,
  readSecret,
  readString,
  readUrl,
  RunMode,
} from '@zt/platform';
import { resolveSecurityOptions, type SecurityOptions } from '@zt/security';
import { API_AUDIENCES } from '../routing/api-routes';
import { loadRateLimitRules, RateLimitRule } from './rate-limit-config';
import { loadUpstreamConfig, UpstreamConfig } from './upstream-config';

export interface GatewayConfig {
  /** NODE_ENV, validated; unset is production. */
  mode: RunMode;
  /** No development default: secrets, cookie key, issuer and upstreams must all be given. */
  production: boolean;
  security: SecurityOptions;
  /** Base URL of the authorization server for pass-through and back-channel calls (the issuer). */
  authorizationServerUrl: string;
  /** GATEWAY_INTROSPECTION_URL; undefined: read `introspection_endpoint` from discovery. */
  introspectionUrl?: string;
  introspection: {
    clientId: string;
    clientSecret: string;
    timeoutMs: number;
    cacheMaxSeconds: number;
    negativeCacheSeconds: number;
    cacheSize: number;
  };
  /** Seconds in `Retry-After` when the authorization server cannot be reached. */
  retryAfterSeconds: number;
  acceptClientJwts: boolean;
  upstreams: UpstreamConfig;
  upstreamTimeoutMs: number;
  /** Largest upstream answer passed on (GATEWAY_MAX_RESPONSE_BYTES); a larger one becomes a 502. */
  maxResponseBytes: number;
  bff: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    scope: string;
    postLoginUrl: string;
    cookieKey: Buffer;
  };
  allowedOrigins: readonly string[];
  trustedProxies: BlockList;
  metricsAllowedIps: BlockList;
  redisUrl?: string;
  rateLimits: RateLimitRule[];
  /** What a request gets when the shared rate-limit store cannot count it. */
  rateLimitStoreFailure: 'open' | 'closed';
  maxHeaderBytes: number;
  accessLog: boolean;
}

/** A fixed development key: no default in production, and refused there if copied in (readKey). */
const DEV_COOKIE_KEY = Buffer.from('dev-only-gateway-cookie-key-32b!').toString('base64');
const DEFAULT_BFF_SCOPE = 'openid offline_access users:read accounts:read payments:read payments:write';

/** Not secrets and not environment-specific: the same default holds in production. */
const setting = (env: Env, name: string, fallback: string): string => env[name]?.trim() || fallback;

export function loadGatewayConfig(env: Env): GatewayConfig {
  const mode = readMode(env);
  const production = mode === 'production';
  const issuer = readUrl(env, 'OAUTH_ISSUER', ['http:', 'https:'], 'http://127.0.0.1:4000').href.replace(/\/$/, '');
  const security = resolveSecurityOptions(
    {
      issuer: readString(env, 'OAUTH_ISSUER', issuer),
      jwksUri: readUrl(env, 'OAUTH_JWKS_URI', ['http:', 'https:'], `${issuer}/jwks`).href,
      // The gateway verifies JWTs meant for any API it routes to; each route then checks its own.
      audiences: readOptional(env, 'OAUTH_AUDIENCE') ? undefined : [...API_AUDIENCES],
    },
    env,
  );
  const asUrl = readOptional(env, 'GATEWAY_AUTHORIZATION_SERVER_URL')
    ? readUrl(env, 'GATEWAY_AUTHORIZATION_SERVER_URL', ['http:', 'https:']).href.replace(/\/$/, '')
    : issuer;
  const introspectionUrl = readOptional(env, 'GATEWAY_INTROSPECTION_URL')
    ? readUrl(env, 'GATEWAY_INTROSPECTION_URL', ['http:', 'https:']).href
    : undefined;
  const redisUrl = readOptional(env, 'REDIS_URL') ? readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']).href : undefined;
  const redirectUri = readUrl(
    env,
    'GATEWAY_BFF_REDIRECT_URI',
    ['http:', 'https:'],
    'http://127.0.0.1:8080/auth/callback',
  ).href;
  const postLoginUrl = setting(env, 'GATEWAY_POST_LOGIN_URL', '/');
  if (!postLoginUrl.startsWith('/') || postLoginUrl.startsWith('//')) {
    throw new ConfigValidationError(
      'GATEWAY_POST_LOGIN_URL',
      'must be a path on the gateway, starting with a single "/"',
    );
  }
  return {
    mode,
    production,
    security,
    authorizationServerUrl: asUrl,
    introspectionUrl,
    introspection: {
      clientId: setting(env, 'GATEWAY_CLIENT_ID', 'gateway'),
      clientSecret: readSecret(env, 'OAUTH_CLIENT_SECRET_GATEWAY', 'dev-secret-gateway-change-me'),
      timeoutMs: readInteger(env, 'GATEWAY_INTROSPECTION_TIMEOUT_MS', 3000, 100, 30_000),
      cacheMaxSeconds: readInteger(env, 'GATEWAY_INTROSPECTION_CACHE_MAX_SECONDS', 300, 1, 3600),
      negativeCacheSeconds: readInteger(env, 'GATEWAY_INTROSPECTION_NEGATIVE_CACHE_SECONDS', 5, 0, 60),
      cacheSize: readInteger(env, 'GATEWAY_INTROSPECTION_CACHE_SIZE', 50_000, 1, 10_000_000),
    },
    retryAfterSeconds: readInteger(env, 'GATEWAY_RETRY_AFTER_SECONDS', 5, 1, 600),
    acceptClientJwts: readBoolean(env, 'GATEWAY_ACCEPT_CLIENT_JWTS', false),
    upstreams: loadUpstreamConfig(env),
    upstreamTimeoutMs: readInteger(env, 'GATEWAY_UPSTREAM_TIMEOUT_MS', 10_000, 100, 120_000),
    maxResponseBytes: readInteger(env, 'GATEWAY_MAX_RESPONSE_BYTES', 10 * 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
    bff: {
      clientId: setting(env, 'GATEWAY_BFF_CLIENT_ID', 'gateway-bff'),
      clientSecret: readSecret(env, 'OAUTH_CLIENT_SECRET_GATEWAY_BFF', 'dev-secret-gateway-bff-change-me'),
      redirectUri,
      scope: setting(env, 'GATEWAY_BFF_SCOPE', DEFAULT_BFF_SCOPE),
      postLoginUrl,
      cookieKey: readKey(env, 'GATEWAY_COOKIE_KEY', 32, DEV_COOKIE_KEY),
    },
    allowedOrigins: readOrigins(env, 'GATEWAY_ALLOWED_ORIGINS', 'http://127.0.0.1:8080,http://localhost:8080'),
    trustedProxies: readAddressList(env, 'GATEWAY_TRUSTED_PROXIES'),
    // Loopback only unless told otherwise, in every mode: the safe default needs no override.
    metricsAllowedIps: readAddressList(
      { GATEWAY_METRICS_ALLOWED_IPS: setting(env, 'GATEWAY_METRICS_ALLOWED_IPS', '127.0.0.1,::1') },
      'GATEWAY_METRICS_ALLOWED_IPS',
    ),
    redisUrl,
    rateLimits: loadRateLimitRules(env),
    rateLimitStoreFailure: readStoreFailure(env),
    maxHeaderBytes: readInteger(env, 'GATEWAY_MAX_HEADER_BYTES', 8192, 1024, 65_536),
    accessLog: readBoolean(env, 'GATEWAY_ACCESS_LOG', true),
  };
}

/**
 * `open` (default): a Redis outage lets requests through, logged and counted; limits protect
 * capacity, while every request is still authenticated and authorized. `closed`: 503 instead,
 * for deployments where an unlimited gateway is worse than an unavailable one.
 */
function readStoreFailure(env: Env): 'open' | 'closed' {
  const value = setting(env, 'GATEWAY_RATE_LIMIT_STORE_FAILURE', 'open');
  if (value !== 'open' && value !== 'closed')
    throw new ConfigValidationError('GATEWAY_RATE_LIMIT_STORE_FAILURE', 'must be "open" or "closed"');
  return value;
}
