// The development platform CA and one certificate per workload (X.509-SVID shape): ECDSA P-256,
// the workload's host names and `spiffe://bank.example/<workload>` in the SAN, the workload's name
// as the subject CN (Kafka and PostgreSQL map principals and roles from the subject).
//
// Why @peculiar/x509 on node:crypto's WebCrypto and not the openssl CLI: certificates are made in
// process (tests make dozens: another CA, an expired one, another workload's), with no external
// binary whose version and flags differ between machines, and typed fields instead of config files.
//
// Written with erasable TypeScript only: `scripts/certs.mjs` runs it directly on Node 24.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyPair = webcrypto.CryptoKeyPair;
type Key = webcrypto.CryptoKey;

export const TRUST_DOMAIN = 'bank.example';

/** The workloads of the platform; `platform-admin` is the operator (runners, Kafka ACLs, database set-up). */
export const PLATFORM_WORKLOADS = [
  'authorization-server',
  'gateway',
  'users',
  'accounts',
  'payments',
  'kafka',
  'postgres',
  'platform-admin',
] as const;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PemPair {
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** Workload name: subject CN and the SPIFFE id's path. */
  name: string;
  /** DNS names and IP addresses for the SAN (default: the name, localhost, 127.0.0.1, ::1). */
  hosts?: string[];
  days?: number;
  /** Start of validity (default: one hour ago, for clock skew); tests pass a past date for an expired certificate. */
  notBefore?: Date;
}

export function spiffeId(workload: string): string {
  return `spiffe://${TRUST_DOMAIN}/${workload}`;
}

export function defaultHosts(name: string): string[] {
  return [name, 'localhost', '127.0.0.1', '::1'];
}

/** A new self-signed CA (path length 0: it signs workload certificates only). */
export async function createCa(commonName = 'bank.example development platform CA', days = 365): Promise<PemPair> {
  const keys = await newKeys();
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}, O=${TRUST_DOMAIN}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + days * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

/** A workload certificate signed by `ca`, usable as both TLS server and client certificate. */
export async function issueWorkloadCertificate(ca: PemPair, options: IssueOptions): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importKey(ca.key);
  const keys = await newKeys();
  const notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const hosts = options.hosts ?? defaultHosts(options.name);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.name}, OU=workloads, O=${TRUST_DOMAIN}`,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 30) * DAY_MS),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'url', value: spiffeId(options.name) },
        ...hosts.map((host) => ({ type: isIpAddress(host) ? ('ip' as const) : ('dns' as const), value: host })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

export interface PlatformPkiOptions {
  workloads?: readonly string[];
  /** Extra SAN hosts per workload (the compose runner adds its service addresses). */
  extraHosts?: Record<string, string[]>;
  /** Renew a workload certificate that expires within this many days (default 7 of its 30). */
  renewWithinDays?: number;
  /** Renew every certificate, whatever its expiry. */
  force?: boolean;
}

export interface PkiPaths {
  ca: string;
  cert: string;
  key: string;
}

/** Where a workload's files are: `<dir>/<name>.crt`, `<dir>/<name>.key` and the CA `<dir>/ca.crt`. */
export function pkiPaths(dir: string, workload: string): PkiPaths {
  return {
    ca: path.join(dir, 'ca.crt'),
    cert: path.join(dir, `${workload}.crt`),
    key: path.join(dir, `${workload}.key`),
  };
}

/**
 * Makes sure `dir` holds the CA and a valid certificate for every workload: creates what is missing,
 * renews what expires soon (or whose SAN no longer lists the wanted hosts), keeps the rest. A new CA
 * (missing or expiring within 30 days) renews every workload certificate. Files are replaced by
 * rename, so a service watching them never reads half a file. Returns what was written.
 */
export async function ensurePlatformPki(dir: string, options: PlatformPkiOptions = {}): Promise<string[]> {
  const workloads = options.workloads ?? PLATFORM_WORKLOADS;
  const renewWithin = (options.renewWithinDays ?? 7) * DAY_MS;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const caPaths = { cert: path.join(dir, 'ca.crt'), key: path.join(dir, 'ca.key') };
  let ca = readPair(caPaths);
  const newCa = options.force || !ca || expiresWithin(ca.cert, 30 * DAY_MS);
  if (newCa || !ca) {
    ca = await createCa();
    writePair(caPaths, ca);
    written.push('ca');
  }
  for (const name of workloads) {
    const paths = pkiPaths(dir, name);
    const hosts = [...defaultHosts(name), ...(options.extraHosts?.[name] ?? [])];
    const current = readPair(paths);
    const keep =
      !newCa &&
      current &&
      !expiresWithin(current.cert, renewWithin) &&
      issuedBy(current.cert, ca.cert) &&
      coversHosts(current.cert, hosts);
    if (keep) continue;
    writePair(paths, await issueWorkloadCertificate(ca, { name, hosts }));
    written.push(name);
  }
  return written;
}

/** SHA-256 of a certificate's DER, base64url: RFC 8705's `x5t#S256`. */
export function certificateThumbprint(pem: string): string {
  return createHash('sha256')
    .update(Buffer.from(new x509.X509Certificate(pem).rawData))
    .digest('base64url');
}

export function expiresAt(pem: string): Date {
  return new x509.X509Certificate(pem).notAfter;
}

function expiresWithin(pem: string, ms: number): boolean {
  return expiresAt(pem).getTime() - Date.now() < ms;
}

function issuedBy(pem: string, caPem: string): boolean {
  return new x509.X509Certificate(pem).issuer === new x509.X509Certificate(caPem).subject;
}

function coversHosts(pem: string, hosts: string[]): boolean {
  const san = new x509.X509Certificate(pem).getExtension(x509.SubjectAlternativeNameExtension);
  const listed = new Set((san?.names.items ?? []).map((item) => item.value));
  return hosts.every((host) => listed.has(host));
}

function readPair(paths: { cert: string; key: string }): PemPair | undefined {
  if (!existsSync(paths.cert) || !existsSync(paths.key)) return undefined;
  try {
    return { cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
  } catch {
    return undefined;
  }
}

function writePair(paths: { cert: string; key: string }, pair: PemPair): void {
  // The key first: a watcher that sees the new certificate finds its key already there.
  atomicWrite(paths.key, pair.key, 0o600);
  atomicWrite(paths.cert, pair.cert, 0o644);
}

function atomicWrite(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

async function newKeys(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as KeyPair;
}

async function exportKey(key: Key): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`.replace(
    /\n\n/g,
    '\n',
  );
}

async function importKey(pem: string): Promise<Key> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

function serial(): string {
  // 16 random bytes with the top bit clear: a positive serial number (RFC 5280 4.1.2.2).
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
