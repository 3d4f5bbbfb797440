/**
 * The project's own PostgreSQL cluster, for real: this suite starts one on 127.0.0.1:55439 (state in
 * tmp/postgres-55439, a fresh PKI in a temp folder) with the CLI the runners' code uses, checks what
 * it refuses and what the platform's DatabaseModule does with it, and stops it by its recorded PID.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import {
  ConfigValidationError,
  databaseConnectionOptions,
  DatabaseModule,
  ensureDatabase,
  PLATFORM_CONFIG,
  PlatformConfig,
} from '@zt/platform';
import { createCa, ensurePlatformPki, issueWorkloadCertificate, pkiPaths } from '@zt/dev-pki';

jest.setTimeout(60_000);

const PORT = 55439;
const root = path.resolve(__dirname, '../..');
const cli = path.join(__dirname, 'postgres-cluster-cli.mjs');
const stateDir = path.join(root, `tmp/postgres-${PORT}`);
/** The platform PKI of this run, in a temp folder (made in beforeAll, removed in afterAll). */
let pki: string;
const run = promisify(execFile);

/** The cluster CLI, as the runners' code runs it (`node infra/postgres/postgres-cluster-cli.mjs ...`). */
async function clusterCli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, ...args, '--port', String(PORT), '--state-dir', stateDir], {
    cwd: root,
  });
  return stdout;
}

/** A raw URL of a role on a database, TLS verified against the platform CA, the role's own certificate. */
function urlFor(role: string, database: string, params: Record<string, string> = {}): string {
  const files = pkiPaths(pki, role);
  const url = new URL(`postgres://127.0.0.1:${PORT}/${database}`);
  url.username = role;
  const query = { sslmode: 'verify-full', sslrootcert: files.ca, sslcert: files.cert, sslkey: files.key, ...params };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

/** Connects, runs the statements, closes; resolves with the last one's rows or rejects with the refusal. */
async function query(config: ClientConfig, ...statements: string[]): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionTimeoutMillis: 5000, ...config });
  try {
    await client.connect();
    let rows: Record<string, unknown>[] = [];
    for (const sql of statements) rows = (await client.query(sql)).rows;
    return rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same connection as databaseConnectionOptions builds it for an app (development mode). */
function appConnection(url: string): ClientConfig {
  return databaseConnectionOptions(url, { production: false }) as ClientConfig;
}

let started: { pid: number; adminUrl: string };

beforeAll(async () => {
  pki = mkdtempSync(path.join(os.tmpdir(), 'zt-postgres-spec-pki-'));
  await ensurePlatformPki(pki);
  await clusterCli('reset');
  const out = await clusterCli(
    'start',
    '--pki-dir',
    pki,
    '--database',
    'payments=zt_payments',
    '--database',
    'accounts=zt_accounts',
    '--json',
  );
  started = JSON.parse(out) as typeof started;
});

afterAll(async () => {
  // Stopped by the PID the start recorded (never by name); nothing else of ours keeps running.
  expect(JSON.parse(await clusterCli('status', '--json'))).toMatchObject({ running: true, pid: started.pid });
  const stopped = await clusterCli('stop').catch((error: Error) => error.message);
  rmSync(pki, { recursive: true, force: true });
  expect(stopped).toBe('');
  expect(JSON.parse(await clusterCli('status', '--json'))).toEqual({ running: false, port: PORT });
});

describe('the project cluster (real PostgreSQL on 127.0.0.1:55439)', () => {
  it('lets payments into zt_payments over verified TLS with its certificate, and create a table there', async () => {
    const rows = await query(
      appConnection(urlFor('payments', 'zt_payments')),
      'CREATE TABLE IF NOT EXISTS probe (id int)',
      `SELECT current_user AS who, s.ssl, s.version FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()`,
    );
    expect(rows).toEqual([{ who: 'payments', ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
  });

  it('refuses a connection without TLS, for a service role and for the admin alike', async () => {
    for (const [user, database] of [
      ['payments', 'zt_payments'],
      ['platform-admin', 'postgres'],
    ]) {
      await expect(query({ host: '127.0.0.1', port: PORT, user, database, ssl: false }, 'SELECT 1')).rejects.toThrow(
        /pg_hba\.conf rejects connection .* no encryption/,
      );
    }
  });

  it("refuses payments' role in another service's database and in the maintenance database", async () => {
    await expect(query(appConnection(urlFor('payments', 'zt_accounts')), 'SELECT 1')).rejects.toThrow(
      /permission denied for database "zt_accounts"/,
    );
    await expect(query(appConnection(urlFor('payments', 'postgres')), 'SELECT 1')).rejects.toThrow(
      /permission denied for database "postgres"/,
    );
  });

  it("refuses payments' certificate for the accounts role (the role is the certificate's CN)", async () => {
    const url = urlFor('accounts', 'zt_accounts', {
      sslcert: pkiPaths(pki, 'payments').cert,
      sslkey: pkiPaths(pki, 'payments').key,
    });
    await expect(query(appConnection(url), 'SELECT 1')).rejects.toThrow(
      /certificate authentication failed for user "accounts"/,
    );
  });

  it('refuses a client certificate from another CA, even one naming a real workload', async () => {
    const otherCa = await createCa('impostor CA');
    const impostor = await issueWorkloadCertificate(otherCa, { name: 'payments' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zt-postgres-spec-other-'));
    try {
      writeFileSync(path.join(dir, 'payments.crt'), impostor.cert);
      writeFileSync(path.join(dir, 'payments.key'), impostor.key, { mode: 0o600 });
      const url = urlFor('payments', 'zt_payments', {
        sslcert: path.join(dir, 'payments.crt'),
        sslkey: path.join(dir, 'payments.key'),
      });
      await expect(query(appConnection(url), 'SELECT 1')).rejects.toThrow(
        /certificate|unknown ca|connection requires a valid client certificate|socket hang up|ECONNRESET/i,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a server whose certificate does not name the host asked for (verify-full)', async () => {
    const connection = appConnection(urlFor('payments', 'zt_payments'));
    // As if DNS sent db.elsewhere.example to this server: the certificate names postgres, localhost, 127.0.0.1.
    const misdirected = { ...connection, ssl: { ...(connection.ssl as object), servername: 'db.elsewhere.example' } };
    await expect(query(misdirected, 'SELECT 1')).rejects.toThrow(/does not match certificate's altnames/);
  });

  it('refuses a server certificate from another CA than the one trusted', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zt-postgres-spec-ca-'));
    try {
      writeFileSync(path.join(dir, 'ca.crt'), (await createCa('some other CA')).cert);
      const url = urlFor('payments', 'zt_payments', { sslrootcert: path.join(dir, 'ca.crt') });
      await expect(query(appConnection(url), 'SELECT 1')).rejects.toThrow(
        /self-signed certificate in certificate chain|unable to verify/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses rotated certificate files for the next connection without a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zt-postgres-spec-rotate-'));
    const files = {
      certFile: path.join(dir, 'payments.crt'),
      keyFile: path.join(dir, 'payments.key'),
      caFile: pkiPaths(pki, 'payments').ca,
    };
    const ca = { cert: await readText(path.join(pki, 'ca.crt')), key: await readText(path.join(pki, 'ca.key')) };
    const install = async () => {
      const pair = await issueWorkloadCertificate(ca, { name: 'payments' });
      writeFileSync(files.certFile, pair.cert);
      writeFileSync(files.keyFile, pair.key, { mode: 0o600 });
    };
    try {
      await install();
      const connection = databaseConnectionOptions(
        `postgres://payments@127.0.0.1:${PORT}/zt_payments?sslmode=verify-full`,
        {
          tls: files,
          production: true,
        },
      ) as ClientConfig;
      const serial = `SELECT client_serial::text AS serial FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
      const [before] = await query(connection, serial);
      await install();
      const [after] = await query(connection, serial);
      expect(after?.serial).toEqual(expect.any(String));
      expect(after?.serial).not.toEqual(before?.serial);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the platform DatabaseModule on the project cluster', () => {
  const tls = () => ({
    certFile: pkiPaths(pki, 'payments').cert,
    keyFile: pkiPaths(pki, 'payments').key,
    caFile: pkiPaths(pki, 'payments').ca,
  });

  /** A Nest context with the platform's DatabaseModule and the given configuration. */
  async function withDatabaseModule(config: Partial<PlatformConfig>): Promise<INestApplicationContext> {
    const configModule: DynamicModule = {
      module: class TestPlatformConfig {},
      global: true,
      providers: [{ provide: PLATFORM_CONFIG, useValue: { service: 'payments', logLevel: 'silent', ...config } }],
      exports: [PLATFORM_CONFIG],
    };
    @Module({ imports: [configModule, DatabaseModule.forService({ entities: [], migrations: [] })] })
    class TestModule {}
    return NestFactory.createApplicationContext(TestModule, { logger: false, abortOnError: false });
  }

  it('connects as the workload with the TLS files of the configuration (production, sslmode=verify-full)', async () => {
    const app = await withDatabaseModule({
      mode: 'production',
      production: true,
      databaseUrl: `postgres://payments@127.0.0.1:${PORT}/zt_payments?sslmode=verify-full`,
      tls: tls(),
    });
    try {
      const rows = (await app
        .get(DataSource)
        .query(`SELECT current_user AS who, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`)) as unknown[];
      expect(rows).toEqual([{ who: 'payments', ssl: true }]);
    } finally {
      await app.close();
    }
  });

  it('refuses, in production, a DATABASE_URL without sslmode=verify-full before connecting', async () => {
    for (const query of ['', '?sslmode=require', '?sslmode=disable']) {
      const start = withDatabaseModule({
        mode: 'production',
        production: true,
        databaseUrl: `postgres://payments@127.0.0.1:${PORT}/zt_payments${query}`,
        tls: tls(),
      });
      await expect(start).rejects.toThrow(ConfigValidationError);
      await expect(start).rejects.toThrow(/DATABASE_URL must set sslmode=verify-full in production/);
    }
  });

  it("ensureDatabase finds the role's own database though the role may not create databases", async () => {
    await expect(ensureDatabase(urlFor('payments', 'zt_payments'))).resolves.toBe('exists');
  });
});

async function readText(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(file, 'utf8');
}
