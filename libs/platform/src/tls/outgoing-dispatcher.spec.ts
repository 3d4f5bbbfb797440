import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { request } from 'undici';
import { startTlsProbeApp } from '../testing/tls-probe-app';
import { eventually } from '../testing/tls-client';
import { createTlsTestPki, TlsTestPki } from '../testing/tls-test-pki';

/** An internal listener of another workload: demands a platform certificate and says whose it got. */
async function startMtlsServer(tls: {
  cert: string;
  key: string;
  ca: string;
}): Promise<{ server: Server; url: string }> {
  const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    res.end((req.socket as TLSSocket).getPeerX509Certificate()?.subjectAltName ?? 'none');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

const stop = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * Outgoing HTTPS as the workload: once an app is started with TLS, Node's own fetch (what
 * libs/security and openid-client use) and undici.request (the gateway's back channel) present the
 * workload's certificate and trust the platform CA, with no TLS code in the caller.
 */
describe('the outgoing dispatcher', () => {
  let pki: TlsTestPki;
  let accounts: { server: Server; url: string };
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    pki = await createTlsTestPki(['payments', 'accounts']);
    accounts = await startMtlsServer(pki.pem('accounts'));
  });
  afterAll(async () => {
    await app?.close();
    await stop(accounts.server);
    pki.remove();
  });

  it('is not there before the platform starts: a plain client cannot reach an internal listener', async () => {
    await expect(request(accounts.url)).rejects.toThrow();
  });

  it("makes Node's built-in fetch present the workload certificate (in a real process, as deployed)", async () => {
    // Jest runs tests in a VM context whose globalThis is not the one Node's fetch reads undici's
    // global dispatcher from, so fetch is proven in a plain Node process started like main.ts.
    const root = path.resolve(__dirname, '../../../..');
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-r', path.join(root, 'bench/lib/ts-hook.cjs'), path.join(__dirname, '../testing/workload-fetch.probe.ts')],
        {
          cwd: root,
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            PROBE_URL: accounts.url,
            ...pki.env('payments'),
          },
        },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(output).toMatch(/^answer: .*URI:spiffe:\/\/bank\.example\/payments/);
  }, 60_000);

  it('makes undici.request (the gateway back channel) present the workload certificate', async () => {
    app = (await startTlsProbeApp({ name: 'payments', env: pki.env('payments') })).app;
    const answer = await request(accounts.url);
    expect(await answer.body.text()).toContain('URI:spiffe://bank.example/payments');
  });

  it('is rebuilt when the certificate rotates: the new CA and certificate are used', async () => {
    await pki.rotate();
    const renewed = await startMtlsServer(pki.pem('accounts'));
    try {
      const seen = await eventually(async () => (await request(renewed.url)).body.text());
      expect(seen).toContain('URI:spiffe://bank.example/payments');
    } finally {
      await stop(renewed.server);
    }
  });

  it('is removed when the app closes', async () => {
    await app?.close();
    app = undefined;
    const renewed = await startMtlsServer(pki.pem('accounts'));
    try {
      await expect(request(renewed.url)).rejects.toThrow();
    } finally {
      await stop(renewed.server);
    }
  });
});
