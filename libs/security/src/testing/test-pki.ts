import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// The library's own test certificates (its specs must not import the platform's infra/pki: the
// folder is copied alone). Same shape as the platform's X.509-SVIDs: ECDSA P-256, a SPIFFE id as
// the single SAN URI, localhost and 127.0.0.1 for the test servers, EKU server + client.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOUR_MS = 60 * 60 * 1000;

export interface TestPemPair {
  cert: string;
  key: string;
}

export interface TestCertificateOptions {
  /** Subject CN; also the SPIFFE id's path unless `uris` is given. */
  name: string;
  /** SAN URIs (default: `spiffe://bank.example/<name>`); `[]` for a certificate naming no workload. */
  uris?: string[];
}

/** A self-signed CA: tests make several, so one can play "another CA". */
export async function createTestCa(name = 'test platform CA'): Promise<TestPemPair> {
  const keys = await newKeys();
  const notBefore = new Date(Date.now() - HOUR_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 24 * HOUR_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** A workload certificate signed by `ca`, for TLS server and client use. */
export async function issueTestCertificate(ca: TestPemPair, options: TestCertificateOptions): Promise<TestPemPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const keys = await newKeys();
  const notBefore = new Date(Date.now() - HOUR_MS);
  const uris = options.uris ?? [`spiffe://bank.example/${options.name}`];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.name}`,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 24 * HOUR_MS),
    signingKey: await importKey(ca.key),
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...uris.map((value) => ({ type: 'url' as const, value })),
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** RFC 8705 `x5t#S256` of a PEM certificate, computed independently of the code under test. */
export function testThumbprint(pem: string): string {
  return createHash('sha256')
    .update(Buffer.from(new x509.X509Certificate(pem).rawData))
    .digest('base64url');
}

type Key = webcrypto.CryptoKey;

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

async function exportKey(key: Key): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<Key> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
