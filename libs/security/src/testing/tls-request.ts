import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TlsRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Client certificate and key (PEM) presented in the TLS handshake; none when absent. */
  cert?: string;
  key?: string;
  /** CA (PEM) that must have signed the server's certificate. */
  ca?: string;
}

export interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request over its own new connection (no agent: no session reuse between cases), over TLS for
 * an `https:` URL (optionally with a client certificate), plain HTTP otherwise. node:https rather
 * than fetch: fetch cannot present a client certificate without an extra dispatcher package.
 */
export function tlsRequest(url: string, options: TlsRequestOptions = {}): Promise<TlsResponse> {
  const target = new URL(url);
  const tls = target.protocol === 'https:';
  const send = tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
        ...(tls && { cert: options.cert, key: options.key, ca: options.ca }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
