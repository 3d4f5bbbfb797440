import { ConfigValidationError } from './config-validation.error';

/**
 * Small typed readers for environment variables. Each throws a ConfigValidationError
 * naming the variable, so every app fails start-up the same way on bad input.
 */
export type Env = Record<string, string | undefined>;

/**
 * How an app runs. Production rules apply unless development is chosen explicitly: an unset
 * NODE_ENV is production, so a deployment that forgets it gets no default secret, no seeded
 * user and no development grant. `test` is development for the test runner.
 */
export type RunMode = 'production' | 'development' | 'test';
const RUN_MODES: readonly RunMode[] = ['production', 'development', 'test'];

/**
 * The mode from NODE_ENV, validated: unset means production; a value that is none of the three
 * (`prod`, `staging`, `Development`) stops start-up naming NODE_ENV instead of being guessed at.
 */
export function readMode(env: Env): RunMode {
  const raw = env.NODE_ENV?.trim();
  if (!raw) return 'production';
  if (!RUN_MODES.includes(raw as RunMode)) {
    throw new ConfigValidationError(
      'NODE_ENV',
      `must be production, development or test (got "${raw}"; unset means production)`,
    );
  }
  return raw as RunMode;
}

/** Development features (defaults, seeded users, development grants) only when chosen explicitly. */
export function isDevelopment(env: Env): boolean {
  const raw = env.NODE_ENV?.trim();
  return raw === 'development' || raw === 'test';
}

/** Production rules: everything but an explicit `development` or `test` (an unset NODE_ENV included). */
export function isProduction(env: Env): boolean {
  return !isDevelopment(env);
}

/**
 * Every development default secret of the platform says so (`dev-secret-<client>-change-me`,
 * `dev-only-...` keys), so one rule recognises them wherever they were copied to, even as base64.
 */
const DEVELOPMENT_SECRET = /change-me|^dev-only-|^dev-secret-/i;

export function looksLikeDevelopmentSecret(value: string): boolean {
  return DEVELOPMENT_SECRET.test(value) || DEVELOPMENT_SECRET.test(Buffer.from(value, 'base64').toString('latin1'));
}

/**
 * A secret: in development the default may stand in for it; in production it is required, at
 * least `minLength` characters, and never a development default (the platform's own, wherever it
 * was copied from). The value never appears in the error.
 */
export function readSecret(env: Env, name: string, devDefault: string, minLength = 32): string {
  const value = readString(env, name, devDefault);
  if (isProduction(env)) refuseDevelopmentSecret(name, value, devDefault, minLength);
  return value;
}

/** The production checks of readSecret, for secrets read some other way (lists, keys). */
export function refuseDevelopmentSecret(
  name: string,
  value: string,
  devDefault: string | undefined,
  minLength: number,
): void {
  if (value === devDefault || looksLikeDevelopmentSecret(value)) {
    throw new ConfigValidationError(
      name,
      'is a development default, refused in production mode (set a random secret, e.g. openssl rand -base64 32)',
    );
  }
  if (value.length < minLength) {
    throw new ConfigValidationError(name, `must be at least ${minLength} characters in production mode`);
  }
}

/** A value that must be present; in development a default may stand in for it. */
export function readString(env: Env, name: string, devDefault?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (devDefault !== undefined && !isProduction(env)) return devDefault;
  throw new ConfigValidationError(name, isProduction(env) ? requiredInProduction(env) : 'is required');
}

/**
 * The problem of a setting missing in production mode. When NODE_ENV is unset the line says why
 * production rules apply, so a developer who forgot NODE_ENV=development sees the way out.
 */
export function requiredInProduction(env: Env, what = ''): string {
  const why = env.NODE_ENV?.trim()
    ? ''
    : ' (NODE_ENV is unset, so production rules apply; NODE_ENV=development chooses local defaults)';
  return `is required in production mode${what ? ` (${what})` : ''}${why}`;
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

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!allowed.includes(raw as T)) {
    throw new ConfigValidationError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

/**
 * A whole number from `min` to `max`; unset means `fallback` in every mode (for limits with safe
 * defaults). Naming the `unit` (`milliseconds`) puts it in the error, so the operator knows what
 * the number counts.
 */
export function readInteger(env: Env, name: string, fallback: number, min: number, max: number, unit?: string): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    const what = unit ? `a whole number of ${unit}` : 'an integer';
    throw new ConfigValidationError(name, `must be ${what} from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

/** `true`/`1` or `false`/`0`, in any case; unset means `fallback` in every mode. */
export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigValidationError(name, `must be true or false (got "${raw}")`);
}

/**
 * A base64 key of exactly `bytes` bytes; the value itself never appears in the error. In
 * production the development key is refused, even when copied into the environment.
 */
export function readKey(env: Env, name: string, bytes: number, devDefault: string): Buffer {
  const raw = readString(env, name, devDefault);
  if (isProduction(env)) refuseDevelopmentSecret(name, raw, devDefault, 0);
  const key = Buffer.from(raw, 'base64');
  if (key.length !== bytes || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) {
    throw new ConfigValidationError(
      name,
      `must be ${bytes} random bytes in base64 (e.g. openssl rand -base64 ${bytes})`,
    );
  }
  return key;
}
