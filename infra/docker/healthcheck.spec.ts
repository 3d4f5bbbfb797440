import { execFile } from 'node:child_process';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { createTlsTestPki, TlsTestPki } from '@zt/platform/testing';
import { createCa, issueWorkloadCertificate } from '@zt/dev-pki';

/**
 * The apps' container healthcheck (infra/docker/healthcheck.mjs, `node healthcheck.mjs` in the
 * image) against real TLS listeners: an internal listener demands a client certificate from the
 * platform CA, so the check must present the app's own; and it trusts the platform CA only, so a
 * listener with another CA's certificate is not "healthy".
 */
const script = path.join(__dirname, 'healthcheck.mjs');

interface Listener {
  server: Server;
  port: number;
  /** The subject CN of each client certificate the listener verified. */
  callers: string[];
}

/** An internal listener: client certificate from `ca` required, /health answering `status`. */
async function listen(tls: { cert: string; key: string; ca: string }, status = 200): Promise<Listener> {
  const callers: string[] = [];
  const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    callers.push(String(peer.subject?.CN ?? ''));
    res.writeHead(req.url === '/health' ? status : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { server, port: (server.address() as AddressInfo).port, callers };
}

/** Runs the healthcheck as the container would: its exit code. */
function healthcheck(env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env } }, (error) =>
      resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
}

describe('infra/docker/healthcheck.mjs', () => {
  let pki: TlsTestPki;
  const listeners: Listener[] = [];
  const started = async (tls: { cert: string; key: string; ca: string }, status?: number) => {
    const listener = await listen(tls, status);
    listeners.push(listener);
    return listener;
  };

  beforeAll(async () => {
    pki = await createTlsTestPki(['payments']);
  });
  afterAll(async () => {
    await Promise.all(listeners.map((l) => new Promise((r) => l.server.close(r))));
    pki.remove();
  });

  it('passes against an internal listener, presenting the app its own workload certificate', async () => {
    const listener = await started(pki.pem('payments'));
    expect(await healthcheck({ ...pki.env('payments'), PORT: String(listener.port) })).toBe(0);
    expect(listener.callers).toEqual(['payments']);
  });

  it('fails when the listener answers with a certificate from another CA', async () => {
    const otherCa = await createCa('another CA');
    const impostor = await issueWorkloadCertificate(otherCa, { name: 'payments' });
    const listener = await started({ ...impostor, ca: pki.pem('payments').ca });
    expect(await healthcheck({ ...pki.env('payments'), PORT: String(listener.port) })).toBe(1);
    expect(listener.callers).toEqual([]);
  });

  it('fails when /health does not answer 2xx', async () => {
    const listener = await started(pki.pem('payments'), 503);
    expect(await healthcheck({ ...pki.env('payments'), PORT: String(listener.port) })).toBe(1);
  });
});
