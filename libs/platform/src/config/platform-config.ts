import { ConfigValidationError } from './config-validation.error';
import type { JsonShapeLimits } from '@zt/security';
import { readJsonShapeLimits } from './json-limits-config';
import { Env, readEnum, readMode, readPort, readUrl, requiredInProduction, RunMode } from './env-readers';
import { readHostPortList } from './list-readers';
import { checkPlaintextHost, readTlsFiles, TlsFiles } from '../tls/tls-settings';
import { databaseSslMode } from '../database/database-url-tls';

/** What an app needs from the platform: its name, its default port and its dependencies. */
export interface ServiceSpec {
  /** Nx project name, e.g. `payments`; also the default database name suffix. */
  name: string;
  defaultPort: number;
  /** Owns a PostgreSQL database (DATABASE_URL). */
  database?: boolean;
  /** Talks to Kafka (KAFKA_BROKERS). */
  kafka?: boolean;
}

export interface PlatformConfig {
  service: string;
  /** NODE_ENV, validated; unset is production (see readMode). */
  mode: RunMode;
  /** `mode === 'production'`: no defaults, no development features. */
  production: boolean;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  databaseUrl?: string;
  kafkaBrokers?: string[];
  /** Shape limits on JSON request bodies and event payloads (JSON_MAX_*), checked before parsing. */
  jsonLimits: JsonShapeLimits;
  /**
   * TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE: the workload's certificate, key and the platform CA.
   * Always set in production; absent only in development, where the app serves plain HTTP on loopback.
   */
  tls?: TlsFiles;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The database a service owns by default in development: one per service, on the local server. */
export function defaultDatabaseUrl(service: string): string {
  return `postgres://postgres@127.0.0.1:5432/zt_${service.replace(/-/g, '_')}`;
}

/**
 * Reads and validates the platform part of the configuration contract. Production mode (NODE_ENV
 * unset or `production`) requires every value, so a deployment can never run on a developer's
 * settings by accident; development mode (NODE_ENV `development` or `test`, chosen explicitly)
 * fills in local defaults.
 */
export function loadPlatformConfig(env: Env, spec: ServiceSpec): PlatformConfig {
  const mode = readMode(env);
  const production = mode === 'production';
  const config: PlatformConfig = {
    service: spec.name,
    mode,
    production,
    // Loopback unless told otherwise (containers set HOST=0.0.0.0).
    host: env.HOST?.trim() || '127.0.0.1',
    port: production && !env.PORT?.trim() ? missing(env, 'PORT') : readPort(env, 'PORT', spec.defaultPort),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    jsonLimits: readJsonShapeLimits(env),
  };
  if (spec.database) {
    // The URL may carry a password: it is validated but never echoed.
    config.databaseUrl = readUrl(
      env,
      'DATABASE_URL',
      ['postgres:', 'postgresql:'],
      defaultDatabaseUrl(spec.name),
    ).toString();
    if (!new URL(config.databaseUrl).pathname.slice(1)) {
      throw new ConfigValidationError('DATABASE_URL', 'must name a database in its path (e.g. /zt_payments)');
    }
    // Production: only a verified TLS connection to PostgreSQL (sslmode=verify-full).
    databaseSslMode(config.databaseUrl, production);
  }
  if (spec.kafka) config.kafkaBrokers = readHostPortList(env, 'KAFKA_BROKERS', '127.0.0.1:9092');
  // Last, so an operator fixes the settings in the order they always came; production needs all three.
  const tls = readTlsFiles(env, production);
  checkPlaintextHost(config.host, tls);
  if (tls) config.tls = tls;
  return config;
}

function missing(env: Env, name: string): never {
  throw new ConfigValidationError(name, requiredInProduction(env));
}
