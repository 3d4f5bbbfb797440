import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// The platform's development PKI lives with the infrastructure scripts (it runs there on Node 24
// without a build); tests of the platform make their certificates with the very same code.
import { ensurePlatformPki, pkiPaths, PLATFORM_WORKLOADS } from '@zt/dev-pki';

export interface TlsTestPki {
  /** The temporary folder holding `ca.crt`, `ca.key` and `<workload>.crt|.key`. */
  dir: string;
  /** TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE for `workload`. */
  env(workload: string): { TLS_CERT_FILE: string; TLS_KEY_FILE: string; TLS_CA_FILE: string };
  /** The workload's certificate, key and the CA as PEM (e.g. for a test client's TLS options). */
  pem(workload: string): { cert: string; key: string; ca: string };
  /** A new CA and new certificates for every workload, written by rename as a rotation would. */
  rotate(): Promise<void>;
  /** Deletes the folder. */
  remove(): void;
}

/**
 * A platform CA and workload certificates in a temporary folder, for tests that start apps with
 * TLS: `{ ...pki.env('payments') }` in the app's environment, `pki.pem('gateway')` for a client.
 */
export async function createTlsTestPki(
  workloads: readonly string[] = PLATFORM_WORKLOADS,
  options: { dir?: string } = {},
): Promise<TlsTestPki> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'zt-tls-'));
  await ensurePlatformPki(dir, { workloads });
  return {
    dir,
    env(workload) {
      const paths = pkiPaths(dir, workload);
      return { TLS_CERT_FILE: paths.cert, TLS_KEY_FILE: paths.key, TLS_CA_FILE: paths.ca };
    },
    pem(workload) {
      const paths = pkiPaths(dir, workload);
      return {
        cert: readFileSync(paths.cert, 'utf8'),
        key: readFileSync(paths.key, 'utf8'),
        ca: readFileSync(paths.ca, 'utf8'),
      };
    },
    async rotate() {
      await ensurePlatformPki(dir, { workloads, force: true });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
