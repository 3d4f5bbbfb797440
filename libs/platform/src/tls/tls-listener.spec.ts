import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:tls';
import { createCa, issueWorkloadCertificate } from '@zt/dev-pki';
import { legacyTlsHandshake, tlsGet } from '../testing/tls-client';
import { startTlsProbeApp } from '../testing/tls-probe-app';
import { createTlsTestPki, TlsTestPki } from '../testing/tls-test-pki';
import type { ListenerKind } from './listener-kind';

/**
 * The listener rules on real sockets: each app started by createService with a platform CA and
 * workload certificates made in a temporary folder, probed by clients with and without certificates.
 */
describe('HTTPS listeners', () => {
  let pki: TlsTestPki;
  let stranger: { cert: string; key: string };
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    pki = await createTlsTestPki(['payments', 'gateway', 'accounts']);
    // A certificate naming a platform workload, but from a CA the platform does not trust.
    stranger = await issueWorkloadCertificate(await createCa('another CA'), { name: 'accounts' });
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    pki.remove();
  });

  async function start(kind: ListenerKind | undefined, workload = 'payments'): Promise<string> {
    const { app, port } = await startTlsProbeApp({ name: workload, env: pki.env(workload), listener: kind });
    apps.push(app);
    return `https://127.0.0.1:${port}/peer`;
  }

  describe('internal (the default)', () => {
    let url: string;
    beforeAll(async () => (url = await start(undefined)));

    it('accepts a client certificate from the platform CA, and the app sees who called', async () => {
      const res = await tlsGet(url, pki.pem('accounts'));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({
        encrypted: true,
        authorized: true,
        peerSubjectAltName: expect.stringContaining('URI:spiffe://bank.example/accounts'),
      });
      expect(res.serverCertificate?.subjectaltname).toContain('URI:spiffe://bank.example/payments');
    });

    it('refuses plaintext HTTP', async () => {
      await expect(tlsGet(url.replace('https:', 'http:'))).rejects.toThrow();
    });

    it('refuses a TLS client without a certificate', async () => {
      await expect(tlsGet(url, { ca: pki.pem('accounts').ca })).rejects.toThrow(
        /certificate required|alert|reset|hang up/i,
      );
    });

    it('refuses a client certificate from another CA', async () => {
      await expect(tlsGet(url, { ...stranger, ca: pki.pem('accounts').ca })).rejects.toThrow(
        /unknown ca|alert|reset|hang up/i,
      );
    });

    it('refuses TLS 1.1, even from a client willing to go that low', async () => {
      const { port } = new URL(url);
      const outcome = await legacyTlsHandshake(Number(port), pki.pem('accounts'));
      expect(outcome).toMatch(/^refused: .*(protocol version|unsupported protocol|no protocols available)/i);
    });

    it('negotiates TLS 1.3 when the client has it', async () => {
      const { port } = new URL(url);
      const protocol = await new Promise<string | null>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port), ...pki.pem('accounts') }, () => {
          resolve(socket.getProtocol());
          socket.destroy();
        });
        socket.on('error', reject);
      });
      expect(protocol).toBe('TLSv1.3');
    });

    it('offers TLS 1.2 clients only ECDHE key exchange with an AEAD cipher', async () => {
      const { port } = new URL(url);
      const attempt = (ciphers: string) =>
        new Promise<string>((resolve) => {
          const socket = connect(
            { host: '127.0.0.1', port: Number(port), ...pki.pem('accounts'), maxVersion: 'TLSv1.2', ciphers },
            () => {
              resolve(socket.getCipher().name);
              socket.destroy();
            },
          );
          socket.on('error', (error) => resolve(`refused: ${error.message}`));
        });
      expect(await attempt('ECDHE-ECDSA-AES128-GCM-SHA256')).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
      expect(await attempt('ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA')).toMatch(
        /^refused: .*(no shared cipher|handshake failure)/i,
      );
    });
  });

  describe('public (the gateway)', () => {
    let url: string;
    beforeAll(async () => (url = await start('public', 'gateway')));

    it('accepts a client without a certificate and sends HSTS on every answer', async () => {
      const res = await tlsGet(url, { ca: pki.pem('gateway').ca });
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const missing = await tlsGet(url.replace('/peer', '/nowhere'), { ca: pki.pem('gateway').ca });
      expect(missing.status).toBe(404);
      expect(missing.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    });

    it('still refuses plaintext HTTP', async () => {
      await expect(tlsGet(url.replace('https:', 'http:'))).rejects.toThrow();
    });
  });

  describe('public with optional client certificates (the authorization server)', () => {
    let url: string;
    beforeAll(async () => (url = await start('public-optional-client-cert', 'gateway')));

    it('accepts a client without a certificate, as not authorized', async () => {
      const res = await tlsGet(url, { ca: pki.pem('gateway').ca });
      expect(JSON.parse(res.body)).toEqual({ encrypted: true, authorized: false });
    });

    it('verifies a workload certificate when one is presented', async () => {
      const res = await tlsGet(url, pki.pem('payments'));
      expect(JSON.parse(res.body)).toEqual({
        encrypted: true,
        authorized: true,
        peerSubjectAltName: expect.stringContaining('URI:spiffe://bank.example/payments'),
      });
    });

    it('lets a certificate from another CA connect, but never as authorized', async () => {
      const res = await tlsGet(url, { ...stranger, ca: pki.pem('gateway').ca });
      expect(JSON.parse(res.body)).toMatchObject({ encrypted: true, authorized: false });
    });
  });
});
