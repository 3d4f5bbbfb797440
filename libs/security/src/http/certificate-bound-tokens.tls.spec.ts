import { Controller, Get, Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AllowedCallers } from '../authz/allowed-callers.decorator';
import { Authenticated } from '../authz/authenticated.decorator';
import { CallerWorkload } from '../authz/caller-workload.decorator';
import { CurrentPrincipal } from '../authz/current-principal.decorator';
import { Public } from '../authz/public.decorator';
import { startTestApp } from '../testing/http-test-app';
import { TestIssuer } from '../testing/test-issuer';
import { createTestCa, issueTestCertificate, testThumbprint, type TestPemPair } from '../testing/test-pki';
import { tlsRequest, type TlsRequestOptions } from '../testing/tls-request';
import type { CallerIdentity } from '../verification/caller-identity';
import type { Principal } from '../verification/principal';

@Controller()
class CallerTestController {
  @Authenticated() @Get('whoami') whoami(@CurrentPrincipal() p: Principal, @CallerWorkload() c?: CallerIdentity) {
    return { sub: p.sub, caller: p.caller?.workload ?? null, forwarder: c?.spiffeId ?? null };
  }
  @Authenticated() @AllowedCallers('gateway') @Get('from-gateway') fromGateway() {
    return { ok: true };
  }
  @Public() @Get('peer') peer(@CallerWorkload() c?: CallerIdentity) {
    return { workload: c?.workload ?? null };
  }
}

/**
 * RFC 8705 over real TLS sockets: the server requests a client certificate but does not require
 * one (like the authorization server), so the library itself must tell a verified certificate
 * from none and from one of another CA. The same app is also served over plain HTTP.
 */
describe('certificate-bound tokens and caller identity over real TLS connections', () => {
  let issuer: TestIssuer;
  let tlsApp: NestFastifyApplication;
  let plainApp: NestFastifyApplication;
  let tlsUrl: string;
  let plainUrl: string;
  let ca: TestPemPair;
  const certs: Record<string, TestPemPair> = {};
  let warnings: string[];

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    ca = await createTestCa();
    for (const name of ['server', 'payments', 'accounts', 'gateway'])
      certs[name] = await issueTestCertificate(ca, { name });
    certs.anonymous = await issueTestCertificate(ca, { name: 'anonymous', uris: [] });
    // Same name as payments, but signed by a CA the server does not trust.
    certs.rogue = await issueTestCertificate(await createTestCa('rogue CA'), { name: 'payments' });
    const https = {
      cert: certs.server!.cert,
      key: certs.server!.key,
      ca: ca.cert,
      requestCert: true,
      rejectUnauthorized: false,
    };
    tlsApp = await startTestApp(issuer, {}, [CallerTestController], new FastifyAdapter({ https }));
    plainApp = await startTestApp(issuer, {}, [CallerTestController]);
    tlsUrl = `https://127.0.0.1:${await listen(tlsApp)}`;
    plainUrl = `http://127.0.0.1:${await listen(plainApp)}`;
  });
  afterAll(async () => {
    await tlsApp.close();
    await plainApp.close();
    await issuer.stop();
  });
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  const boundTo = (pem: string) => issuer.token({ cnf: { 'x5t#S256': testThumbprint(pem) } });
  /** GET over TLS as `workload` (its certificate), or without a certificate when `workload` is undefined. */
  const asWorkload = (workload: string | undefined, path: string, token?: string) =>
    tlsRequest(`${tlsUrl}${path}`, {
      ca: ca.cert,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(workload && ({ cert: certs[workload]!.cert, key: certs[workload]!.key } satisfies TlsRequestOptions)),
    });

  it('accepts a bound token from the workload holding the certificate, again and again (cache hits)', async () => {
    const token = boundTo(certs.payments!.cert);
    for (let i = 0; i < 3; i++) {
      const res = await asWorkload('payments', '/whoami', token);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({
        sub: 'user-alice',
        caller: 'payments',
        forwarder: 'spiffe://bank.example/payments',
      });
    }
  });

  it("refuses the same token replayed over another workload's connection, also once it is cached", async () => {
    const token = boundTo(certs.payments!.cert);
    expect((await asWorkload('payments', '/whoami', token)).status).toBe(200);
    const res = await asWorkload('accounts', '/whoami', token);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(res.body).not.toMatch(/ERR_|certificate|x5t/i);
    expect(warnings.join('\n')).toMatch(
      /^ERR_TOKEN_CERTIFICATE_MISMATCH: .*caller=spiffe:\/\/bank\.example\/accounts\]$/m,
    );
  });

  it('refuses a bound token sent without a client certificate, over TLS or plain HTTP', async () => {
    const token = boundTo(certs.payments!.cert);
    const overTls = await asWorkload(undefined, '/whoami', token);
    const overHttp = await tlsRequest(`${plainUrl}/whoami`, { headers: { authorization: `Bearer ${token}` } });
    for (const res of [overTls, overHttp]) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    }
    expect(warnings.filter((w) => w.startsWith('ERR_TOKEN_CERTIFICATE_MISMATCH'))).toHaveLength(2);
  });

  it('trusts no certificate the server did not verify: one from another CA binds nothing and names no one', async () => {
    const res = await asWorkload('rogue', '/whoami', boundTo(certs.rogue!.cert));
    expect(res.status).toBe(401);
    expect(warnings.join('\n')).toMatch(/^ERR_TOKEN_CERTIFICATE_MISMATCH: .*caller=-\]$/m);
    expect(JSON.parse((await asWorkload('rogue', '/peer')).body)).toEqual({ workload: null });
  });

  it("accepts a user's unbound token forwarded by payments: the token names the user, the certificate the forwarder", async () => {
    const res = await asWorkload('payments', '/whoami', issuer.token({ sub: 'user-bob' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      sub: 'user-bob',
      caller: 'payments',
      forwarder: 'spiffe://bank.example/payments',
    });
  });

  it('still serves unbound tokens over plain HTTP, with no caller (the library works without TLS)', async () => {
    const res = await tlsRequest(`${plainUrl}/whoami`, { headers: { authorization: `Bearer ${issuer.token()}` } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ sub: 'user-alice', caller: null, forwarder: null });
  });

  it('binds by thumbprint a certificate that names no workload', async () => {
    const token = boundTo(certs.anonymous!.cert);
    expect((await asWorkload('anonymous', '/whoami', token)).status).toBe(200);
    expect(JSON.parse((await asWorkload('anonymous', '/whoami', token)).body)).toEqual({
      sub: 'user-alice',
      caller: null,
      forwarder: null,
    });
  });

  it('@AllowedCallers lets only the named workloads in, and nobody without a certificate', async () => {
    const token = issuer.token();
    expect((await asWorkload('gateway', '/from-gateway', token)).status).toBe(200);
    for (const res of [
      await asWorkload('payments', '/from-gateway', token),
      await asWorkload('anonymous', '/from-gateway', token),
      await asWorkload(undefined, '/from-gateway', token),
      await tlsRequest(`${plainUrl}/from-gateway`, { headers: { authorization: `Bearer ${token}` } }),
    ]) {
      expect(res.status).toBe(403);
    }
    expect(warnings.filter((w) => w.startsWith('ERR_CALLER_NOT_ALLOWED'))).toHaveLength(4);
  });
});

async function listen(app: NestFastifyApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return address.port;
}
