import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TlsFiles, TlsPem } from './tls-settings';

/** The files as read at one moment, checked to belong together, with what the logs may say about them. */
export interface TlsMaterial {
  pem: TlsPem;
  /** The URI SAN naming the workload (`spiffe://bank.example/payments`), when the certificate has one. */
  spiffeId?: string;
  /** The certificate's `notAfter`. */
  expiresAt: Date;
}

/** The material is unusable: half written, a key that is not the certificate's, a CA that does not parse. */
export class TlsMaterialError extends Error {
  readonly code = 'ERR_TLS_MATERIAL';

  constructor(
    /** The setting naming the file at fault. */
    readonly variable: 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'TLS_CA_FILE',
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'TlsMaterialError';
  }
}

/**
 * Reads the three files and checks them before anything uses them: the certificate parses, the key
 * is the certificate's own (X509Certificate.checkPrivateKey), and the CA bundle holds at least one
 * certificate and every one parses. A rotation caught halfway (new certificate, old key) fails here
 * instead of in every later handshake. The error never carries file contents.
 */
export function loadTlsMaterial(files: TlsFiles): TlsMaterial {
  const pem = {
    cert: read(files.certFile, 'TLS_CERT_FILE'),
    key: read(files.keyFile, 'TLS_KEY_FILE'),
    ca: read(files.caFile, 'TLS_CA_FILE'),
  };
  const certificate = parse(pem.cert, 'TLS_CERT_FILE', 'does not hold a PEM certificate');
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(pem.key));
  } catch {
    throw new TlsMaterialError('TLS_KEY_FILE', 'does not hold a PEM private key');
  }
  if (!matches) throw new TlsMaterialError('TLS_KEY_FILE', "is not the private key of TLS_CERT_FILE's certificate");
  const authorities = pem.ca.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (authorities.length === 0) throw new TlsMaterialError('TLS_CA_FILE', 'holds no PEM certificate');
  for (const authority of authorities) parse(authority, 'TLS_CA_FILE', 'holds a certificate that does not parse');
  return { pem, spiffeId: spiffeIdOf(certificate), expiresAt: new Date(certificate.validTo) };
}

function read(file: string, variable: TlsMaterialError['variable']): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TlsMaterialError(variable, `names a file that cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
}

function parse(pem: string, variable: TlsMaterialError['variable'], problem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new TlsMaterialError(variable, problem);
  }
}

/** The first `URI:spiffe://…` entry of the subject alternative names. */
export function spiffeIdOf(certificate: X509Certificate): string | undefined {
  return certificate.subjectAltName
    ?.split(', ')
    .find((name) => name.startsWith('URI:spiffe://'))
    ?.slice('URI:'.length);
}
