import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { ListenerKind } from './listener-kind';
import type { TlsPem } from './tls-settings';

/** TLS 1.2 is the floor (TLS 1.0/1.1 are deprecated by RFC 8996); OpenSSL negotiates 1.3 whenever the peer has it. */
export const TLS_MIN_VERSION = 'TLSv1.2' as const;

/**
 * TLS 1.3's suites (all AEAD), then for TLS 1.2 only forward-secret ECDHE key exchange with an AEAD
 * cipher (Mozilla's "intermediate" list): no RSA key exchange, no CBC, no SHA-1 MACs. Stated here,
 * not left to Node's defaults, so a `--tls-cipher-list` or a future default cannot widen it.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * What a secure context holds; `setSecureContext` replaces all of it on rotation, so the protocol
 * floor and ciphers are part of it, not only the files.
 */
export function secureContextOptions(pem: TlsPem): SecureContextOptions {
  return {
    cert: pem.cert,
    key: pem.key,
    // Client certificates are verified against the platform CA only, never the public roots.
    ca: pem.ca,
    minVersion: TLS_MIN_VERSION,
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
  };
}

/**
 * The HTTPS listener's options. Session resumption stays on (Node's default session tickets, with
 * keys kept across a rotation by setSecureContext): a returning client skips the full handshake.
 */
export function serverTlsOptions(pem: TlsPem, kind: ListenerKind): TlsOptions {
  return {
    ...secureContextOptions(pem),
    requestCert: kind !== 'public',
    rejectUnauthorized: kind === 'internal',
  };
}

/** Options for connecting out as this workload: its certificate, and the platform CA as the only trust anchor. */
export function clientTlsOptions(pem: TlsPem): {
  ca: string;
  cert: string;
  key: string;
  minVersion: typeof TLS_MIN_VERSION;
} {
  return { ca: pem.ca, cert: pem.cert, key: pem.key, minVersion: TLS_MIN_VERSION };
}
