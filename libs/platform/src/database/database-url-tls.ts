import { ConfigValidationError } from '../config/config-validation.error';

/**
 * libpq's sslmode values this platform accepts. Every mode that asks for TLS is served with full
 * verification (the server's certificate from the trusted CA AND naming the host), as node-postgres
 * does: a "require" that skipped the check would let anyone on the path answer as the database.
 */
const TLS_MODES = ['allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

export type DatabaseSslMode = 'disable' | 'verify-full';

/**
 * What DATABASE_URL asks for: `verify-full` (TLS, verified) or `disable` (plaintext; also when
 * sslmode is absent). Production accepts `sslmode=verify-full` only, said explicitly so the URL
 * itself shows the connection is verified; `no-verify` (node-postgres' own value) is refused in
 * every mode. Errors name DATABASE_URL and never echo the URL (it may carry a password).
 */
export function databaseSslMode(databaseUrl: string, production: boolean): DatabaseSslMode {
  const mode = new URL(databaseUrl).searchParams.get('sslmode') ?? undefined;
  if (production && mode !== 'verify-full') {
    throw new ConfigValidationError(
      'DATABASE_URL',
      'must set sslmode=verify-full in production (TLS, the server certificate checked against the platform CA and the host name)',
    );
  }
  if (mode === undefined || mode === 'disable') return 'disable';
  if ((TLS_MODES as readonly string[]).includes(mode)) return 'verify-full';
  if (mode === 'no-verify') {
    throw new ConfigValidationError('DATABASE_URL', 'sslmode=no-verify turns certificate checks off; use verify-full');
  }
  throw new ConfigValidationError('DATABASE_URL', `has an unknown sslmode "${mode}" (use verify-full)`);
}
