import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigValidationError } from '../config/config-validation.error';
import type { TlsFiles } from '../tls/tls-settings';
import { databaseSslMode } from './database-url-tls';

/** Verified TLS to the database: what both node-postgres and TypeORM's types accept. */
export type DatabaseTlsOptions = Pick<ConnectionOptions, 'rejectUnauthorized' | 'minVersion' | 'ca' | 'cert' | 'key'>;

/** What node-postgres (and TypeORM's postgres driver) needs to open one connection. */
export interface DatabaseConnectionOptions {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** false: plaintext (development only, see databaseSslMode); otherwise verified TLS. */
  ssl: false | DatabaseTlsOptions;
}

/** The file behind each TLS option: from the URL (libpq's names) or from the app's TLS settings. */
interface TlsSources {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * Connection options from DATABASE_URL, with TLS passed explicitly: TypeORM drops the URL's query
 * parameters, and node-postgres, given a URL with sslmode, replaces an explicit `ssl` with what it
 * reads from the URL alone. So the URL is never handed to either; these options are.
 *
 * TLS files: `sslrootcert`, `sslcert`, `sslkey` in the URL are honoured (libpq's names;
 * `sslrootcert=system` means the system's CAs); otherwise the app's own TLS files are used (its
 * workload certificate as the client certificate, the platform CA as the only trusted issuer).
 * The files are read for every new connection, so a rotated certificate is used without a restart.
 */
export function databaseConnectionOptions(
  databaseUrl: string,
  options: { tls?: TlsFiles; production: boolean },
): DatabaseConnectionOptions {
  const url = new URL(databaseUrl);
  const mode = databaseSslMode(databaseUrl, options.production);
  return {
    host: decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1')),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: mode === 'disable' ? false : verifiedTls(tlsSources(url.searchParams, options.tls)),
  };
}

function tlsSources(params: URLSearchParams, tls: TlsFiles | undefined): TlsSources {
  const [rootCert, cert, key] = [params.get('sslrootcert'), params.get('sslcert'), params.get('sslkey')];
  if (Boolean(cert) !== Boolean(key)) {
    throw new ConfigValidationError('DATABASE_URL', 'must give sslcert and sslkey together');
  }
  const ca = rootCert === 'system' ? undefined : (rootCert ?? tls?.caFile);
  if (cert && key) return { ca, cert, key };
  return { ca, cert: tls?.certFile, key: tls?.keyFile };
}

/**
 * Full verification (node's defaults: the chain up to `ca`, and the host name or IP against the
 * certificate's SAN), TLS 1.2 at least. The files are getters: node-postgres copies these options
 * when it opens a connection, which reads the files then (configurable: it hides `key` from
 * enumeration itself).
 */
function verifiedTls(files: TlsSources): DatabaseTlsOptions {
  const options: DatabaseTlsOptions = { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  for (const [name, file] of Object.entries(files) as [keyof TlsSources, string | undefined][]) {
    if (!file) continue;
    Object.defineProperty(options, name, {
      enumerable: true,
      configurable: true,
      get: () => readFileSync(file, 'utf8'),
    });
  }
  return options;
}
