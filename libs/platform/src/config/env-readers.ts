import { ConfigValidationError } from './config-validation.error';

/**
 * Small typed readers for environment variables. Each throws a ConfigValidationError
 * naming the variable, so every app fails start-up the same way on bad input.
 */
export type Env = Record<string, string | undefined>;

export function isProduction(env: Env): boolean {
  return env.NODE_ENV === 'production';
}

/** A value that must be present; in development a default may stand in for it. */
export function readString(env: Env, name: string, devDefault?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (devDefault !== undefined && !isProduction(env)) return devDefault;
  throw new ConfigValidationError(name, isProduction(env) ? 'is required in production mode' : 'is required');
}

export function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function readPort(env: Env, name: string, devDefault: number): number {
  const raw = env[name]?.trim();
  if (!raw) return devDefault;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new ConfigValidationError(name, `must be a port number from 1 to 65535 (got "${raw}")`);
  }
  return Number(raw);
}

export function readUrl(env: Env, name: string, protocols: string[], devDefault?: string): URL {
  const raw = readString(env, name, devDefault);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigValidationError(name, 'must be an absolute URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigValidationError(name, `must use ${protocols.join(' or ')} (got ${url.protocol})`);
  }
  return url;
}

/** Comma-separated host:port pairs, such as KAFKA_BROKERS. */
export function readHostPortList(env: Env, name: string, devDefault?: string): string[] {
  const raw = readString(env, name, devDefault);
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) {
    const match = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(item);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigValidationError(name, `must be a comma-separated list of host:port (bad entry "${item}")`);
    }
  }
  if (items.length === 0) throw new ConfigValidationError(name, 'must list at least one host:port');
  return items;
}

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!allowed.includes(raw as T)) {
    throw new ConfigValidationError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}
