import type { ConnectionOptions } from 'node:tls';
import { readTlsPem, TlsFiles } from '../tls/tls-settings';

/**
 * The kafkajs `ssl` option of an app: its workload certificate (the broker maps the subject CN to
 * the principal its ACLs name), and the platform CA as the only trusted issuer of the broker's.
 * Without TLS settings (development only: production requires them) the client speaks plaintext,
 * which a TLS broker refuses.
 * The files are read when a client is built: a rotated certificate is used by the next process
 * start or reconnection of a new client, not by connections already open.
 */
export function kafkaSsl(tls: TlsFiles | undefined): ConnectionOptions | undefined {
  if (!tls) return undefined;
  const pem = readTlsPem(tls);
  return { ca: [pem.ca], cert: pem.cert, key: pem.key, minVersion: 'TLSv1.2' };
}
