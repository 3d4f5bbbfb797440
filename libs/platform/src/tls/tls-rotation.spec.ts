import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { issueWorkloadCertificate, pkiPaths } from '@zt/dev-pki';
import { eventually, tlsGet } from '../testing/tls-client';
import { startTlsProbeApp } from '../testing/tls-probe-app';
import { createTlsTestPki, TlsTestPki } from '../testing/tls-test-pki';
import { TlsMaterialService } from './tls-material.service';

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const settle = () => new Promise((resolve) => setTimeout(resolve, 800));

/** Rotation without restart, on a listening app: new connections get the files' current certificate. */
describe('certificate rotation', () => {
  let pki: TlsTestPki;
  let app: NestFastifyApplication;
  let url: string;
  /** The payments certificate a new connection is served now (as the accounts workload). */
  const served = async () => (await tlsGet(url, pki.pem('accounts'))).serverCertificate?.fingerprint256;

  beforeAll(async () => {
    pki = await createTlsTestPki(['payments', 'accounts']);
    const started = await startTlsProbeApp({ name: 'payments', env: pki.env('payments') });
    app = started.app;
    url = `https://127.0.0.1:${started.port}/peer`;
  });
  afterAll(async () => {
    await app.close();
    pki.remove();
  });

  it('serves the new certificate and trusts the new CA after the files are replaced, with no restart', async () => {
    const before = fingerprint(pki.pem('payments').cert);
    expect(await served()).toBe(before);
    await pki.rotate();
    const after = fingerprint(pki.pem('payments').cert);
    expect(after).not.toBe(before);
    expect(await eventually(async () => ((await served()) === after ? after : Promise.reject(new Error('old'))))).toBe(
      after,
    );
  });

  it('keeps the current certificate when the new one is half written, and takes it once complete', async () => {
    const current = pki.pem('payments');
    const next = await issueWorkloadCertificate(
      { cert: current.ca, key: readFileSync(`${pki.dir}/ca.key`, 'utf8') },
      { name: 'payments' },
    );
    const paths = pkiPaths(pki.dir, 'payments');
    writeFileSync(paths.cert, next.cert.slice(0, next.cert.length / 2));
    await settle();
    expect(await served()).toBe(fingerprint(current.cert));
    // A complete certificate whose key is still the old one: refused as well.
    writeFileSync(paths.cert, next.cert);
    await settle();
    expect(await served()).toBe(fingerprint(current.cert));
    // The key arrives: the next change is tried again, and the pair is taken.
    writeFileSync(paths.key, next.key);
    expect(
      await eventually(async () =>
        (await served()) === fingerprint(next.cert) ? 'new' : Promise.reject(new Error('old')),
      ),
    ).toBe('new');
  });
});

describe('TlsMaterialService', () => {
  let pki: TlsTestPki;
  beforeAll(async () => (pki = await createTlsTestPki(['payments'])));
  afterAll(() => pki.remove());

  it('tells its listeners about a rotation, and stops watching when closed', async () => {
    const env = pki.env('payments');
    const service = new TlsMaterialService(
      { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE, caFile: env.TLS_CA_FILE },
      { debounceMs: 50, pollMs: 500 },
    );
    const seen: string[] = [];
    service.onChange((material) => seen.push(fingerprint(material.pem.cert)));
    service.watch();
    await pki.rotate();
    // A rotation writes the CA first, then each key and certificate: a listener may be told about
    // an intermediate state (new CA, old pair) before the final one.
    const rotated = fingerprint(pki.pem('payments').cert);
    await eventually(async () => (seen.at(-1) === rotated ? undefined : Promise.reject(new Error('not yet'))));
    expect(service.current()?.spiffeId).toBe('spiffe://bank.example/payments');
    service.close();
    const told = seen.length;
    await pki.rotate();
    await settle();
    expect(seen).toHaveLength(told);
    expect(fingerprint(service.current()?.pem.cert ?? '')).not.toBe(fingerprint(pki.pem('payments').cert));
  });

  it("keeps the last good material when the key on disk is not the certificate's", async () => {
    const env = pki.env('payments');
    const service = new TlsMaterialService({
      certFile: env.TLS_CERT_FILE,
      keyFile: env.TLS_KEY_FILE,
      caFile: env.TLS_CA_FILE,
    });
    const good = service.current()?.pem.cert;
    const other = await issueWorkloadCertificate(
      { cert: pki.pem('payments').ca, key: readFileSync(`${pki.dir}/ca.key`, 'utf8') },
      { name: 'payments' },
    );
    writeFileSync(env.TLS_CERT_FILE, other.cert);
    expect(service.reload()).toBe(false);
    expect(service.current()?.pem.cert).toBe(good);
    writeFileSync(env.TLS_KEY_FILE, other.key);
    expect(service.reload()).toBe(true);
    expect(service.current()?.pem.cert).toBe(other.cert);
  });
});
