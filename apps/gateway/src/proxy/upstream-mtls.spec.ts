import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { TestIssuer } from '@zt/security/testing';
import { startGateway } from '../testing/start-gateway';
import { createTlsTestPki, TlsTestPki } from '@zt/platform/testing';

describe('gateway -> upstream over mutual TLS', () => {
  let pki: TlsTestPki;
  let issuer: TestIssuer;
  let upstream: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    pki = await createTlsTestPki(['gateway', 'users']);
    issuer = await TestIssuer.start({ audience: 'users-api' });
    const start = (tls: { cert: string; key: string; ca: string }) => {
      const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
        seen.push((req.socket as TLSSocket).getPeerX509Certificate()?.subjectAltName ?? 'none');
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      });
      return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    };
    upstream = await start(pki.pem('users'));
    url = `https://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    upstream.closeAllConnections();
    upstream.close();
    await issuer.stop();
    pki.remove();
  });

  it('presents the gateway certificate upstream, and again after a rotation', async () => {
    const { app } = await startGateway({
      ...issuer.env(),
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      USERS_API_URL: url,
      ...pki.env('gateway'),
    });
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/api/users/me',
        headers: { authorization: `Bearer ${issuer.token({ scope: 'users:read' })}` },
      });
      expect(res.statusCode).toBe(200);
      expect(seen.at(-1)).toContain('URI:spiffe://bank.example/gateway');
      await pki.rotate();
      // The upstream still trusts the OLD CA only: the gateway's new certificate is refused -> proves rebuild.
      await new Promise((r) => setTimeout(r, 1000));
      const after = await app.inject({
        method: 'GET',
        url: '/api/users/me',
        headers: { authorization: `Bearer ${issuer.token({ scope: 'users:read' })}` },
      });
      expect(after.statusCode).toBe(502);
    } finally {
      await app.close();
    }
  });
});
