import { accessSync, constants, readFileSync } from 'node:fs';
import { ConfigValidationError } from '../config/config-validation.error';
import { Env, requiredInProduction } from '../config/env-readers';

/**
 * The workload's TLS identity, from files so an operator (or cert-manager, or `npm run certs`)
 * can replace them without a restart: the certificate chain and key this app presents, as a
 * server and as a client (HTTP, Kafka, PostgreSQL), and the platform CA it trusts for both.
 */
export interface TlsFiles {
  /** TLS_CERT_FILE: PEM certificate (chain) naming this workload (`spiffe://<domain>/<name>` in the SAN). */
  certFile: string;
  /** TLS_KEY_FILE: PEM private key of that certificate. */
  keyFile: string;
  /** TLS_CA_FILE: PEM bundle of the platform CA: the only issuer of peers' certificates. */
  caFile: string;
}

/** The certificate, key and CA as read from the files at one moment. */
export interface TlsPem {
  cert: string;
  key: string;
  ca: string;
}

export const TLS_VARIABLES = { certFile: 'TLS_CERT_FILE', keyFile: 'TLS_KEY_FILE', caFile: 'TLS_CA_FILE' } as const;

/**
 * All three settings or none. Production requires them (the platform never speaks plaintext
 * there); development without them is plain HTTP on loopback (see checkPlaintextHost). Each file
 * must be readable now: a typo stops start-up naming its variable, not the first handshake.
 */
export function readTlsFiles(env: Env, production: boolean): TlsFiles | undefined {
  const fields = Object.keys(TLS_VARIABLES) as (keyof TlsFiles)[];
  const value = (field: keyof TlsFiles) => env[TLS_VARIABLES[field]]?.trim() ?? '';
  const given = fields.filter((field) => value(field));
  if (given.length === 0) {
    if (production) throw new ConfigValidationError(TLS_VARIABLES.certFile, requiredInProduction(env));
    return undefined;
  }
  const absent = fields.find((field) => !value(field));
  if (absent) {
    const named = given.map((field) => TLS_VARIABLES[field]).join(' and ');
    throw new ConfigValidationError(
      TLS_VARIABLES[absent],
      `is required with ${named} (set all three TLS files or none)`,
    );
  }
  for (const field of fields) {
    try {
      accessSync(value(field), constants.R_OK);
    } catch {
      throw new ConfigValidationError(TLS_VARIABLES[field], `names a file that cannot be read: ${value(field)}`);
    }
  }
  return { certFile: value('certFile'), keyFile: value('keyFile'), caFile: value('caFile') };
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** 127.0.0.0/8, ::1 or localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Without TLS files the app speaks plain HTTP, which is only acceptable where nobody else can
 * listen in: a development app started alone on loopback. Any other HOST (a container's 0.0.0.0,
 * a LAN address) would put tokens on the network in the clear, so start-up stops naming HOST.
 */
export function checkPlaintextHost(host: string, tls: TlsFiles | undefined): void {
  if (tls || isLoopbackHost(host)) return;
  throw new ConfigValidationError(
    'HOST',
    `must be a loopback address (127.0.0.1, ::1, localhost) while TLS is off (got "${host}"; set TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE to listen on other addresses)`,
  );
}

/** Reads the three files now (a rotation reads them again). */
export function readTlsPem(files: TlsFiles): TlsPem {
  return {
    cert: readFileSync(files.certFile, 'utf8'),
    key: readFileSync(files.keyFile, 'utf8'),
    ca: readFileSync(files.caFile, 'utf8'),
  };
}
