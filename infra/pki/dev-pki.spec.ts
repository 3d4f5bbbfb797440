import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  certificateThumbprint,
  createCa,
  ensurePlatformPki,
  issueWorkloadCertificate,
  pkiPaths,
  PLATFORM_WORKLOADS,
} from './dev-pki';

describe('development platform PKI', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'zt-pki-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = (workload: string) => new X509Certificate(readFileSync(pkiPaths(dir, workload).cert));

  it('issues one ECDSA P-256 certificate per workload, signed by the CA, naming it by SPIFFE id and host', async () => {
    expect(await ensurePlatformPki(dir)).toEqual(['ca', ...PLATFORM_WORKLOADS]);
    const ca = new X509Certificate(readFileSync(path.join(dir, 'ca.crt')));
    expect(ca.ca).toBe(true);
    const payments = read('payments');
    expect(payments.verify(ca.publicKey)).toBe(true);
    expect(payments.ca).toBe(false);
    expect(payments.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(payments.subject).toContain('CN=payments');
    expect(payments.subjectAltName).toContain('URI:spiffe://bank.example/payments');
    expect(payments.checkHost('payments')).toBe('payments');
    expect(payments.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(payments.checkHost('accounts')).toBeUndefined();
    expect(payments.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(statSync(pkiPaths(dir, 'payments').key).mode & 0o077).toBe(0);
  });

  it('keeps valid certificates and renews the ones near expiry, a new CA renewing all', async () => {
    await ensurePlatformPki(dir);
    const before = read('accounts').serialNumber;
    expect(await ensurePlatformPki(dir)).toEqual([]);
    expect(await ensurePlatformPki(dir, { renewWithinDays: 31 })).toEqual([...PLATFORM_WORKLOADS]);
    expect(read('accounts').serialNumber).not.toBe(before);
    expect(await ensurePlatformPki(dir, { force: true })).toEqual(['ca', ...PLATFORM_WORKLOADS]);
  });

  it('renews a certificate whose SAN lacks a wanted host', async () => {
    await ensurePlatformPki(dir);
    expect(await ensurePlatformPki(dir, { extraHosts: { kafka: ['127.0.0.15'] } })).toEqual(['kafka']);
    expect(read('kafka').checkIP('127.0.0.15')).toBe('127.0.0.15');
  });

  it('gives the RFC 8705 thumbprint of a certificate (SHA-256 of its DER, base64url)', async () => {
    const ca = await createCa();
    const leaf = await issueWorkloadCertificate(ca, { name: 'users' });
    const der = new X509Certificate(leaf.cert).raw;
    const expected = (await import('node:crypto')).createHash('sha256').update(der).digest('base64url');
    expect(certificateThumbprint(leaf.cert)).toBe(expected);
  });
});
