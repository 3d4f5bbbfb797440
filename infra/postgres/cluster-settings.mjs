// What the project's PostgreSQL cluster enforces: who may connect, how (pg_hba.conf), and the TLS
// settings of the server. Written on every start, so a restart always applies the current rules.

/** The superuser the runners and the test suite connect as (the `platform-admin` workload certificate). */
export const ADMIN_ROLE = 'platform-admin';

/**
 * pg_hba.conf, read top to bottom, first match wins:
 * - TLS from loopback with a client certificate the platform CA signed, whose subject CN is the
 *   role asked for (`cert` authentication; verify-full also checks the CN against the user name).
 * - Anything else over TCP is refused: plaintext, and TLS from any other address.
 * - The Unix socket is refused too: it lives in a private folder, but no role gets in without a
 *   certificate, and `trust` (initdb's default) is never left behind.
 */
export function hbaConf() {
  return [
    '# Written by infra/postgres/postgres-cluster.mjs on every start; edits are overwritten.',
    '# TYPE     DATABASE  USER  ADDRESS        METHOD',
    'hostssl    all       all   127.0.0.1/32   cert clientcert=verify-full',
    'hostssl    all       all   ::1/128        cert clientcert=verify-full',
    'hostnossl  all       all   all            reject',
    'host       all       all   all            reject',
    'local      all       all                  reject',
    '',
  ].join('\n');
}

/**
 * Server settings passed as `-c name=value`: TLS on with the `postgres` workload certificate, the
 * platform CA as the only issuer of client certificates, TLS 1.2 as the floor; loopback only.
 * fsync and synchronous commit are off: a development and test cluster, rebuilt by `reset`.
 */
export function serverSettings({ port, socketDir, tls }) {
  return {
    listen_addresses: '127.0.0.1,::1',
    port: String(port),
    unix_socket_directories: socketDir,
    ssl: 'on',
    ssl_cert_file: tls.cert,
    ssl_key_file: tls.key,
    ssl_ca_file: tls.ca,
    ssl_min_protocol_version: 'TLSv1.2',
    // Only AEAD suites with forward secrecy for TLS 1.2 (TLS 1.3 suites are all of that kind).
    ssl_ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20',
    password_encryption: 'scram-sha-256',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
    log_connections: 'on',
    log_line_prefix: '%m [%p] %u@%d ',
  };
}

/** `-c` arguments for the `postgres` command line. */
export function settingsArgs(settings) {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}
