import {
  ConfigValidationError,
  Env,
  readMode,
  readOptional,
  readSecret,
  readString,
  readUrl,
  refuseDevelopmentSecret,
  requiredInProduction,
  RunMode,
} from '@zt/platform';
import { CLIENTS, ClientDeclaration } from '../clients/clients';
import { parseConfiguredSigningKeys, SigningJwk } from '../keys/signing-jwk';

export interface ResolvedClient extends ClientDeclaration {
  secret?: string;
  redirectUriList: string[];
}

export interface AuthorizationServerConfig {
  /** NODE_ENV, validated; unset is production. */
  mode: RunMode;
  /** No development feature: no default secret or key, no seeded user, no development grant or key rotation endpoint. */
  production: boolean;
  /** OAUTH_ISSUER, without a trailing slash: `iss` of every token and the base of every endpoint. */
  issuer: string;
  /** OAUTH_COOKIE_KEYS: sign the login session cookies; the first one also keys the CSRF tokens. */
  cookieKeys: [string, ...string[]];
  clients: ResolvedClient[];
  accessTokenTtlSeconds: number;
  eventTokenTtlSeconds: number;
  /** OAUTH_SIGNING_KEYS: a private JWKS; when absent (development only) keys live in PostgreSQL. */
  configuredSigningKeys?: SigningJwk[];
  signingKeysPollSeconds: number;
  /** OAUTH_TRUST_PROXY: honour X-Forwarded-* (only behind a proxy that sets them). */
  trustProxy: boolean;
  /**
   * The server speaks TLS and requests client certificates (TLS_CERT_FILE set; the three TLS files
   * are validated by the platform configuration): service clients then get certificate-bound
   * tokens (RFC 8705). Without TLS there is no certificate to bind to, so tokens stay plain bearer.
   */
  mutualTls: boolean;
}

/** A transaction token never outlives this (RFC 9396 payment approval). */
export const TRANSACTION_TOKEN_TTL_SECONDS = 300;
const MIN_SECRET_LENGTH = 32;
/** Development defaults: refused in production, even when copied into the environment. */
const DEV_COOKIE_KEY = 'dev-only-cookie-key-0123456789-abcdefghijklmnop';
const devClientSecret = (clientId: string): string => `dev-secret-${clientId}-change-me`;

/** Reads the authorization server's own settings; every problem names its variable and stops start-up. */
export function loadAuthorizationServerConfig(env: Env): AuthorizationServerConfig {
  const mode = readMode(env);
  const production = mode === 'production';
  const issuerUrl = readUrl(env, 'OAUTH_ISSUER', ['http:', 'https:'], 'http://127.0.0.1:4000');
  if (issuerUrl.search || issuerUrl.hash)
    throw new ConfigValidationError('OAUTH_ISSUER', 'must not have a query or fragment');
  const cookieKeys = readList(env, 'OAUTH_COOKIE_KEYS', DEV_COOKIE_KEY);
  if (production)
    for (const key of cookieKeys) refuseDevelopmentSecret('OAUTH_COOKIE_KEYS', key, DEV_COOKIE_KEY, MIN_SECRET_LENGTH);
  const rawKeys = readOptional(env, 'OAUTH_SIGNING_KEYS');
  if (!rawKeys && production) {
    throw new ConfigValidationError(
      'OAUTH_SIGNING_KEYS',
      requiredInProduction(env, 'a JWKS with private keys; the first one signs'),
    );
  }
  return {
    mode,
    production,
    issuer: issuerUrl.href.replace(/\/$/, ''),
    cookieKeys,
    clients: CLIENTS.filter((client) => !(client.devOnly && production)).map((client) => resolveClient(env, client)),
    accessTokenTtlSeconds: readSeconds(env, 'OAUTH_ACCESS_TOKEN_TTL_SECONDS', 300, 3600),
    eventTokenTtlSeconds: readSeconds(env, 'OAUTH_EVENT_TOKEN_TTL_SECONDS', 3600, 24 * 3600),
    configuredSigningKeys: rawKeys ? parseConfiguredSigningKeys(rawKeys) : undefined,
    signingKeysPollSeconds: readSeconds(env, 'OAUTH_SIGNING_KEYS_POLL_SECONDS', 5, 300),
    trustProxy: readBoolean(env, 'OAUTH_TRUST_PROXY', false),
    mutualTls: readOptional(env, 'TLS_CERT_FILE') !== undefined,
  };
}

function resolveClient(env: Env, client: ClientDeclaration): ResolvedClient {
  const resolved: ResolvedClient = { ...client, redirectUriList: [] };
  if (client.secretVariable) {
    resolved.secret = readSecret(env, client.secretVariable, devClientSecret(client.clientId), MIN_SECRET_LENGTH);
  }
  if (client.redirectUris) {
    const { variable, devDefault } = client.redirectUris;
    resolved.redirectUriList = readList(env, variable, devDefault);
    for (const uri of resolved.redirectUriList) {
      if (!URL.canParse(uri))
        throw new ConfigValidationError(
          variable,
          `must be a comma-separated list of absolute URLs (bad entry "${uri}")`,
        );
    }
  }
  return resolved;
}

/** A comma-separated list of at least one item (typed so, for the callers that take the first). */
function readList(env: Env, name: string, devDefault: string): [string, ...string[]] {
  const [first, ...others] = readString(env, name, devDefault)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (first === undefined) throw new ConfigValidationError(name, 'must not be empty');
  return [first, ...others];
}

function readSeconds(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new ConfigValidationError(name, `must be a whole number of seconds from 1 to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigValidationError(name, `must be true or false (got "${raw}")`);
  return raw === 'true';
}
