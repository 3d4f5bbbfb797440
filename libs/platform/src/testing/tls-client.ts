import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';

export interface TlsClientAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The server's certificate as this connection saw it (undefined over plain HTTP). */
  serverCertificate?: PeerCertificate;
}

/**
 * One GET on a new connection (no pooling, no session reuse unless `session` is given), so each
 * call sees what the listener does NOW: its current certificate, its current demands. Rejects
 * with the transport error when the handshake or the connection is refused.
 */
export function tlsGet(url: string, tls: ConnectionOptions = {}): Promise<TlsClientAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { ...tls, method: 'GET', agent: false, timeout: 5000 } as Parameters<typeof httpsRequest>[1],
      (res) => {
        const chunks: Buffer[] = [];
        const socket = res.socket as { getPeerCertificate?: () => PeerCertificate };
        const serverCertificate = socket.getPeerCertificate?.();
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            serverCertificate,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The first success of `attempt` within 5 s (a rotation is applied after a short debounce). */
export async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * A TLS 1.0/1.1-only handshake with `tls` (OpenSSL 3 offers those versions only at security level
 * 0): resolves `connected with <version>` or `refused: <reason>`.
 */
export function legacyTlsHandshake(port: number, tls: ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ...tls,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    socket.on('secureConnect', () => {
      resolve(`connected with ${socket.getProtocol()}`);
      socket.destroy();
    });
    socket.on('error', (error) => resolve(`refused: ${error.message}`));
  });
}
