// The project's own PostgreSQL cluster, for the demo, the tests and e2e when DATABASE_URL is not
// given: the machine's server binaries, initdb under tmp/postgres-<port> (a private folder owned by
// `postgres` when running as root, see cluster-folder.mjs), TLS only with the platform PKI, one
// certificate-authenticated role per service owning its own database(s). No bash, no Docker.
//
//   start({ port, stateDir, pkiDir, databases })  -> { adminUrl, urlFor(role, database), pid, stop }
//   stop({ port, stateDir }) / status({ port, stateDir }) / reset({ port, stateDir })
//
// `databases` says which workload (role, = its certificate's CN) owns which databases, e.g.
// { payments: ['zt_payments', 'zt_e2e_payments'] } or [{ role: 'payments', database: 'zt_payments' }].
// CLI: postgres-cluster-cli.mjs.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { clusterDir, clusterOwner, postgresBinDir, removeClusterDir } from './cluster-folder.mjs';
import { runningPid, spawnServer, stopServer } from './cluster-process.mjs';
import { applyRoles } from './cluster-roles.mjs';
import { ADMIN_ROLE, hbaConf, serverSettings, settingsArgs } from './cluster-settings.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { Client } = createRequire(path.join(root, 'package.json'))('pg');

const FOLDER = { folder: 'cluster', pointer: 'cluster-dir', tempPrefix: 'zt-postgres-', fresh: false };
const START_TIMEOUT_MS = 30_000;

export { ADMIN_ROLE };

/** The state folder of the cluster on `port` (default `tmp/postgres-<port>`). */
export function defaultStateDir(port) {
  return path.join(root, `tmp/postgres-${port}`);
}

function layout({ port, stateDir = defaultStateDir(port) }) {
  checkPort(port);
  return {
    stateDir,
    pidFile: path.join(stateDir, 'postgres.pid'),
    logFile: path.join(stateDir, 'postgres.log'),
    pkiFile: path.join(stateDir, 'pki-dir'),
  };
}

/**
 * Starts the cluster (or finds it running), applies the current TLS files, access rules and roles,
 * and returns how to reach it. Idempotent: a running cluster reloads its certificates and rules.
 */
export async function start({ port, stateDir, pkiDir, databases = {}, say = () => {} }) {
  const where = layout({ port, stateDir });
  const pki = pkiFiles(pkiDir);
  mkdirSync(where.stateDir, { recursive: true });
  writeFileSync(where.pkiFile, `${pkiDir}\n`);
  const owner = clusterOwner();
  const dir = clusterDir(where.stateDir, owner, FOLDER);
  const data = path.join(dir, 'data');
  const bin = postgresBinDir();
  if (!existsSync(path.join(data, 'PG_VERSION'))) initdb({ bin, dir, data, owner, say });
  const settings = prepare({ dir, data, owner, port, pki });

  let pid = runningPid(where.pidFile, data);
  let exited;
  if (pid !== undefined) {
    say(`postgres: already running (pid ${pid}) on 127.0.0.1:${port}; reloading certificates and rules`);
    process.kill(pid, 'SIGHUP');
  } else {
    say(`postgres: starting on 127.0.0.1:${port} (TLS only, log ${shown(where.logFile)})`);
    const server = spawnServer({
      command: path.join(bin, 'postgres'),
      args: ['-D', data, ...settingsArgs(settings)],
      cwd: dir,
      owner,
      logFile: where.logFile,
      pidFile: where.pidFile,
    });
    pid = server.pid;
    exited = server.exited;
  }
  const cluster = describe({ port, pkiDir, pid, stop: () => stop({ port, stateDir: where.stateDir }) });
  const admin = await connectWhenReady(cluster.adminUrl, exited, where.logFile);
  try {
    await applyRoles(admin, databases);
  } finally {
    await admin.end();
  }
  return cluster;
}

/** Stops the cluster's server by its recorded PID; resolves with that PID, or undefined if none ran. */
export async function stop({ port, stateDir }) {
  const where = layout({ port, stateDir });
  const dir = existingDir(where.stateDir);
  return stopServer(where.pidFile, dir ? path.join(dir, 'data') : undefined);
}

/** Whether the cluster runs, and how to reach it. */
export function status({ port, stateDir }) {
  const where = layout({ port, stateDir });
  const dir = existingDir(where.stateDir);
  const pid = dir ? runningPid(where.pidFile, path.join(dir, 'data')) : undefined;
  const pkiDir = existsSync(where.pkiFile) ? readFileSync(where.pkiFile, 'utf8').trim() : undefined;
  if (pid === undefined || !pkiDir) return { running: false, port };
  return { running: true, ...describe({ port, pkiDir, pid }) };
}

/** Stops the cluster and removes its data: the next start is a fresh initdb. */
export async function reset({ port, stateDir }) {
  const where = layout({ port, stateDir });
  await stop({ port, stateDir: where.stateDir });
  removeClusterDir(where.stateDir, FOLDER);
}

/**
 * URLs of the cluster. `urlFor(role, database)` carries sslmode=verify-full and the role's
 * certificate files (sslrootcert, sslcert, sslkey) for raw `pg` clients and the test suite;
 * `{ files: false }` leaves them out for an app that brings its own (TLS_CERT_FILE and friends).
 */
function describe({ port, pkiDir, pid, stop: stopCluster }) {
  const urlFor = (role, database, { files = true } = {}) => {
    const url = new URL(`postgres://127.0.0.1:${port}/${database}`);
    url.username = encodeURIComponent(role);
    url.searchParams.set('sslmode', 'verify-full');
    if (files) {
      url.searchParams.set('sslrootcert', path.join(pkiDir, 'ca.crt'));
      url.searchParams.set('sslcert', path.join(pkiDir, `${role}.crt`));
      url.searchParams.set('sslkey', path.join(pkiDir, `${role}.key`));
    }
    return url.toString();
  };
  return {
    port,
    pid,
    pkiDir,
    adminUrl: urlFor(ADMIN_ROLE, 'postgres'),
    urlFor,
    ...(stopCluster && { stop: stopCluster }),
  };
}

function initdb({ bin, dir, data, owner, say }) {
  say(`postgres: initdb (superuser ${ADMIN_ROLE}, certificate auth only) in ${shown(data)}`);
  execFileSync(
    path.join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      ADMIN_ROLE,
      '--auth-host=reject',
      '--auth-local=reject',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-instructions',
    ],
    { ...owner, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Copies the TLS files into the cluster (0600, the server's), writes pg_hba.conf; returns the settings. */
function prepare({ dir, data, owner, port, pki }) {
  const tlsDir = path.join(dir, 'tls');
  const socketDir = path.join(dir, 'run');
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  const tls = {
    cert: path.join(tlsDir, 'server.crt'),
    key: path.join(tlsDir, 'server.key'),
    ca: path.join(tlsDir, 'ca.crt'),
  };
  const hba = path.join(data, 'pg_hba.conf');
  for (const [from, to] of [
    [pki.cert, tls.cert],
    [pki.key, tls.key],
    [pki.ca, tls.ca],
  ]) {
    copyFileSync(from, to);
  }
  writeFileSync(hba, hbaConf());
  for (const file of [tls.cert, tls.key, tls.ca, hba]) {
    // PostgreSQL refuses a key file that others may read.
    chmodSync(file, 0o600);
    if (owner.uid !== undefined) chownSync(file, owner.uid, owner.gid);
  }
  if (owner.uid !== undefined) for (const folder of [tlsDir, socketDir]) chownSync(folder, owner.uid, owner.gid);
  return serverSettings({ port, socketDir, tls });
}

/** The `postgres` server certificate, its key and the platform CA from the PKI folder. */
function pkiFiles(pkiDir) {
  if (!pkiDir) throw new Error('postgres: pkiDir is required (the platform PKI: npm run certs -- --dir tmp/pki)');
  const files = {
    cert: path.join(pkiDir, 'postgres.crt'),
    key: path.join(pkiDir, 'postgres.key'),
    ca: path.join(pkiDir, 'ca.crt'),
    admin: path.join(pkiDir, `${ADMIN_ROLE}.crt`),
  };
  const missing = Object.values(files).filter((file) => !existsSync(file));
  if (missing.length)
    throw new Error(`postgres: missing ${missing.join(', ')} (create the PKI first: npm run certs -- --dir ${pkiDir})`);
  return files;
}

/** Connects as the admin once the server accepts connections; fails with the log's end if it exits. */
async function connectWhenReady(adminUrl, exited, logFile) {
  let gone;
  exited?.then((how) => (gone = how));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      const starting = ['ECONNREFUSED', '57P03'].includes(error.code);
      if (gone || !starting || Date.now() > deadline) {
        const why = gone ? `the server exited (${gone.signal ?? `code ${gone.code}`})` : error.message;
        throw new Error(`postgres: not ready on ${new URL(adminUrl).host}: ${why}\n${logTail(logFile)}`);
      }
      await sleep(100);
    }
  }
}

function logTail(file) {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-15)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch {
    return '    (no log)';
  }
}

function existingDir(stateDir) {
  const pointer = path.join(stateDir, FOLDER.pointer);
  if (existsSync(pointer)) return readFileSync(pointer, 'utf8').trim();
  const inState = path.join(stateDir, FOLDER.folder);
  return existsSync(inState) ? inState : undefined;
}

function checkPort(port) {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`postgres: port must be 1-65535, got ${port}`);
}

/** A path for a message: relative inside the checkout, absolute outside it. */
function shown(file) {
  return file.startsWith(`${root}${path.sep}`) ? path.relative(root, file) : file;
}
