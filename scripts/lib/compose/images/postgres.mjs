// Stands in for the `postgres` image: a private cluster (initdb under tmp/compose/postgres) of the
// machine's PostgreSQL binaries, configured from the service's POSTGRES_USER / POSTGRES_PASSWORD /
// POSTGRES_DB as the image's entrypoint does (password auth from every host), listening on the
// service's address and the image's port 5432. The healthcheck's pg_isready runs against it.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceProcess } from '../service-process.mjs';

const PORT = 5432;

function binDir() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      'postgres: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)',
    );
  return path.join(base, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` system user. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    throw new Error('postgres: running as root and there is no `postgres` user to own the cluster');
  }
}

/**
 * A fresh, empty folder for the cluster on every run. Under the state folder, unless the cluster
 * belongs to another user (root runs it as `postgres`): that user may not be allowed to traverse
 * the checkout's parent folders (a clone in a private mktemp folder, a home directory), so the
 * cluster then lives in a private folder of its own under the system's temp folder, remembered in
 * the state folder so the next run removes it.
 */
function clusterDir(stateDir, owner) {
  const pointer = path.join(stateDir, 'postgres-cluster-dir');
  if (existsSync(pointer)) rmSync(readFileSync(pointer, 'utf8').trim(), { recursive: true, force: true });
  const inState = path.join(stateDir, 'postgres');
  rmSync(inState, { recursive: true, force: true });
  if (owner.uid === undefined) return inState;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zt-compose-postgres-'));
  chownSync(dir, owner.uid, owner.gid);
  writeFileSync(pointer, `${dir}\n`);
  return dir;
}

export const postgresImage = {
  matches: (service) => /^(docker\.io\/(library\/)?)?postgres(:|$)/.test(service.image ?? ''),

  async create(service, ctx) {
    const env = service.environment;
    const user = env.POSTGRES_USER || 'postgres';
    const password = env.POSTGRES_PASSWORD;
    if (!password && env.POSTGRES_HOST_AUTH_METHOD !== 'trust')
      throw new Error('postgres: POSTGRES_PASSWORD is not set (the image refuses to start without it)');
    const bin = binDir();
    const owner = runAs();
    const dir = clusterDir(ctx.stateDir, owner);
    const data = path.join(dir, 'data');
    const sockets = path.join(dir, 'run');
    mkdirSync(sockets, { recursive: true });
    const pwfile = path.join(dir, 'pwfile');
    writeFileSync(pwfile, `${password ?? ''}\n`, { mode: 0o600 });
    if (owner.uid !== undefined) for (const p of [dir, sockets, pwfile]) chownSync(p, owner.uid, owner.gid);
    const auth = env.POSTGRES_HOST_AUTH_METHOD || 'scram-sha-256';
    ctx.say(
      `postgres: initdb (superuser ${user}, ${auth} auth) in ${data.startsWith(ctx.root) ? path.relative(ctx.root, data) : data}`,
    );
    execFileSync(
      path.join(bin, 'initdb'),
      ['-D', data, '-U', user, `--pwfile=${pwfile}`, `--auth=${auth}`, '-E', 'UTF8', '--locale=C'],
      { ...owner, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    rmSync(pwfile);
    // As the image's entrypoint: password auth from any address.
    appendFileSync(path.join(data, 'pg_hba.conf'), `host all all all ${auth}\n`);
    const proc = new ServiceProcess({
      name: service.name,
      stateDir: ctx.stateDir,
      cwd: dir,
      ...owner,
      stopSignal: 'SIGINT',
      command: path.join(bin, 'postgres'),
      args: [
        '-D',
        data,
        '-c',
        `listen_addresses=${ctx.addressOf(service.name)}`,
        '-c',
        `port=${PORT}`,
        '-c',
        `unix_socket_directories=${sockets}`,
        '-c',
        'fsync=off',
      ],
      env: { PATH: process.env.PATH, LANG: 'C' },
    });
    const database = env.POSTGRES_DB || user;
    let created = database === 'postgres';
    const check = (args) =>
      ctx.runCheck(path.join(bin, args[0]), [...args.slice(1), '-h', ctx.addressOf(service.name), '-p', String(PORT)], {
        env: { PATH: process.env.PATH, PGPASSWORD: password ?? '' },
      });
    return {
      proc,
      ports: { [PORT]: true },
      /** The healthcheck's own command (pg_isready ...), aimed at the container's address. */
      probe: async (test) => {
        const args = test[0] === 'CMD' ? test.slice(1) : ['sh', '-c', test[1]];
        if (args[0] !== 'pg_isready')
          throw new Error(
            `postgres: healthcheck "${test.join(' ')}" is not pg_isready; this runner only knows the image's pg_isready`,
          );
        if (!(await check(args))) return false;
        // The image creates POSTGRES_DB before it accepts outside connections.
        if (!created) created = await check(['createdb', '-U', user, database]);
        return created;
      },
    };
  },
};
