import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { createTestCa, issueTestCertificate, testThumbprint, tlsRequest, type TestPemPair } from '@zt/security/testing';
import { devSecret } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';
import { OidcProviderService } from './oidc-provider.service';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * RFC 8705 at the issuer, over a real TLS listener that requests (but does not require) a client
 * certificate, as the authorization server's own listener does: service tokens carry
 * `cnf.x5t#S256` of the certificate the TLS stack verified; without one, or with one from another
 * CA, a service gets no token. The provider's request handler is served by a node:https server of
 * this test, so the spec does not depend on how the platform starts its listener.
 */
describe('authorization server: certificate-bound service tokens (RFC 8705)', () => {
  let server: RunningServer;
  let https: Server;
  let url: string;
  let dir: string;
  let ca: TestPemPair;
  const certs: Record<string, TestPemPair> = {};

  beforeAll(async () => {
    ca = await createTestCa();
    for (const name of ['authorization-server', 'payments', 'accounts'])
      certs[name] = await issueTestCertificate(ca, { name });
    certs.rogue = await issueTestCertificate(await createTestCa('rogue CA'), { name: 'payments' });
    dir = mkdtempSync(path.join(tmpdir(), 'zt-as-mtls-'));
    const files = { cert: path.join(dir, 'as.crt'), key: path.join(dir, 'as.key'), ca: path.join(dir, 'ca.crt') };
    writeFileSync(files.cert, certs['authorization-server']!.cert);
    writeFileSync(files.key, certs['authorization-server']!.key, { mode: 0o600 });
    writeFileSync(files.ca, ca.cert);
    server = await startAuthorizationServer({
      database: 'zt_test_as_mtls',
      env: { TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key, TLS_CA_FILE: files.ca },
    });
    const oidc = server.app.get(OidcProviderService);
    https = createServer(
      { ...certs['authorization-server']!, ca: ca.cert, requestCert: true, rejectUnauthorized: false },
      (req, res) => void oidc.handle(req, res),
    );
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(https.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    https?.closeAllConnections();
    await new Promise((resolve) => https?.close(resolve));
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** POST /token as `clientId` (client_secret_basic) over a connection with `workload`'s certificate (or none). */
  async function token(clientId: string, workload: string | undefined, form: Record<string, string>) {
    const res = await tlsRequest(`${url}/token`, {
      method: 'POST',
      ca: ca.cert,
      ...(workload && { cert: certs[workload]!.cert, key: certs[workload]!.key }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${devSecret(clientId)}`).toString('base64')}`,
      },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, json: JSON.parse(res.body) as Record<string, string> };
  }
  const clientCredentials = (workload: string | undefined) =>
    token('payments-service', workload, { grant_type: 'client_credentials', scope: 'accounts:read' });

  it('binds a client-credentials token to the certificate the service presented (cnf.x5t#S256)', async () => {
    const res = await clientCredentials('payments');
    expect(res.status).toBe(200);
    expect(decodeJwt(res.json.access_token!).cnf).toEqual({ 'x5t#S256': testThumbprint(certs.payments!.cert) });
  });

  it("gives a bound client no token without a verified certificate of its own workload (payments' secret used by accounts)", async () => {
    for (const workload of [undefined, 'rogue', 'accounts']) {
      const res = await clientCredentials(workload);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_grant');
    }
  });

  it('advertises certificate-bound access tokens in discovery', async () => {
    const res = await tlsRequest(`${url}/.well-known/openid-configuration`, { ca: ca.cert });
    expect(JSON.parse(res.body).tls_client_certificate_bound_access_tokens).toBe(true);
  });

  describe('token exchange', () => {
    let userJwt: string;
    beforeAll(async () => {
      const opaque = await token('dev-tokens', undefined, {
        grant_type: 'urn:zt:params:oauth:grant-type:dev-user',
        username: 'alice',
        scope: 'accounts:read payments:write payments:read',
      });
      const introspection = await tlsRequest(`${url}/token/introspection`, {
        method: 'POST',
        ca: ca.cert,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/jwt',
          authorization: `Basic ${Buffer.from(`gateway:${devSecret('gateway')}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token: opaque.json.access_token! }).toString(),
      });
      userJwt = introspection.body;
      // A user's token is never bound: the browser and the CLI hold no platform certificate.
      expect(decodeJwt(userJwt).cnf).toBeUndefined();
    });
    const exchange = (workload: string | undefined, extra: Record<string, string> = {}, subject = userJwt) =>
      token('payments-service', workload, {
        grant_type: EXCHANGE,
        subject_token: subject,
        subject_token_type: ACCESS_TOKEN,
        scope: 'payments:write',
        ...extra,
      });

    it("binds a token the service will present itself to the service's certificate", async () => {
      const res = await exchange('payments');
      expect(res.status).toBe(200);
      expect(decodeJwt(res.json.access_token!).cnf).toEqual({ 'x5t#S256': testThumbprint(certs.payments!.cert) });
      expect((await exchange(undefined)).json.error).toBe('invalid_grant');
      expect((await exchange('rogue')).json.error).toBe('invalid_grant');
      expect((await exchange('accounts')).json.error).toBe('invalid_grant');
    });

    it('leaves an event token unbound: it travels in Kafka, bound to its event and publisher instead', async () => {
      const digest = createHash('sha256').update('{}').digest('base64url');
      const res = await exchange('payments', { event_id: 'evt_mtls_1', event_digest: digest });
      expect(res.status).toBe(200);
      const claims = decodeJwt(res.json.access_token!);
      expect(claims.cnf).toBeUndefined();
      expect(claims).toMatchObject({ event_id: 'evt_mtls_1', event_digest: digest, act: { sub: 'payments-service' } });
    });

    it('exchanges a certificate-bound subject token only over the connection of its holder', async () => {
      const bound = (await exchange('payments')).json.access_token!;
      expect((await exchange('payments', {}, bound)).status).toBe(200);
      const replayed = await exchange('accounts', {}, bound);
      expect(replayed.status).toBe(400);
      expect(replayed.json.error).toBe('invalid_grant');
    });
  });
});
