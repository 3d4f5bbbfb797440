// Stands in for the `postgres` image: a private cluster of the machine's PostgreSQL binaries
// (shared folder logic: infra/postgres/cluster-folder.mjs), set up as the image's entrypoint does
// on an empty data folder, then serving on the service's address and the image's port 5432:
// 1. initdb with POSTGRES_USER / POSTGRES_PASSWORD (the image refuses to start without a password
//    unless POSTGRES_HOST_AUTH_METHOD=trust) and the image's pg_hba.conf (that method from anywhere);
// 2. a temporary server on a Unix socket only, running the service's own `command` settings (e.g.
//    `-c ssl=on -c ssl_cert_file=/pki/...`), where POSTGRES_DB is created and every file of the
//    folder mounted at /docker-entrypoint-initdb.d runs (`*.sh` with bash, `*.sql` with psql), in
//    name order, as the server's user, with PGDATA and the POSTGRES_* variables; then stopped;
// 3. the server itself, with those settings.
// Container paths in the settings are rewritten to the volumes' host folders (mounts.mjs). Files
// the server or the init scripts read (TLS certificate, key and CA; the init scripts) are copied
// into the cluster folder, owned by the server's user, 0600: PostgreSQL reads a key only when it
// owns it, and when the runner runs as root the server runs as `postgres`, which may not read the
// checkout or root's files (in Docker the service runs as the uid that owns the PKI instead).
// Every run starts empty, as a new container on a new volume would; the data volume is not kept.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { clusterDir, clusterOwner, postgresBinDir } from '../../../../infra/postgres/cluster-folder.mjs';
import { hostPathOf, toHostPaths } from '../mounts.mjs';
import { ServiceProcess } from '../service-process.mjs';

const PORT = 5432;
const INIT_DIR = '/docker-entrypoint-initdb.d';
/** Settings naming a file the server reads: copied into the cluster folder (see above). */
const FILE_SETTINGS = ['ssl_cert_file', 'ssl_key_file', 'ssl_ca_file', 'ssl_crl_file', 'hba_file', 'ident_file'];

/** A fresh, empty folder on every run, as a new container would have (see clusterDir). */
const FOLDER = { folder: 'postgres', pointer: 'postgres-cluster-dir', tempPrefix: 'zt-compose-postgres-', fresh: true };

/** The server options of the compose `command` (`postgres -c name=value ...`), as name -> value. */
export function serverOptions(command) {
  const args = command ?? ['postgres'];
  if (args[0] !== 'postgres')
    throw new Error(`postgres: command "${args.join(' ')}" does not start postgres; this runner only knows that`);
  const settings = {};
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    const pair = arg === '-c' ? args[++i] : arg.startsWith('--') ? arg.slice(2) : undefined;
    const match = /^([\w.]+)=(.*)$/s.exec(pair ?? '');
    if (!match)
      throw new Error(`postgres: command argument "${arg}" is not -c name=value; this runner only knows those`);
    settings[match[1].replace(/-/g, '_')] = match[2];
  }
  return settings;
}

const toArgs = (settings) => Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);

export const postgresImage = {
  matches: (service) => /^(docker\.io\/(library\/)?)?postgres(:|$)/.test(service.image ?? ''),

  async create(service, ctx) {
    const env = service.environment;
    const user = env.POSTGRES_USER || 'postgres';
    const password = env.POSTGRES_PASSWORD;
    const auth = env.POSTGRES_HOST_AUTH_METHOD || 'scram-sha-256';
    if (!password && auth !== 'trust')
      throw new Error('postgres: POSTGRES_PASSWORD is not set (the image refuses to start without it)');
    const bin = postgresBinDir();
    const owner = clusterOwner();
    const dir = clusterDir(ctx.stateDir, owner, FOLDER);
    const data = path.join(dir, 'data');
    const sockets = path.join(dir, 'run');
    const files = path.join(dir, 'files');
    const own = (p, mode) => {
      if (mode !== undefined) chmodSync(p, mode);
      if (owner.uid !== undefined) chownSync(p, owner.uid, owner.gid);
    };
    for (const folder of [sockets, files]) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      own(folder);
    }
    const copy = (from, name) => {
      const to = path.join(files, name);
      copyFileSync(from, to);
      own(to, 0o600);
      return to;
    };

    const settings = serverOptions(service.command);
    for (const [name, value] of Object.entries(settings)) {
      const onHost = toHostPaths(value, ctx.mounts);
      settings[name] = FILE_SETTINGS.includes(name) ? copy(onHost, `${name}-${path.basename(onHost)}`) : onHost;
    }

    const pwfile = path.join(dir, 'pwfile');
    writeFileSync(pwfile, `${password ?? ''}\n`, { mode: 0o600 });
    own(pwfile);
    ctx.say(
      `postgres: initdb (superuser ${user}) in ${data.startsWith(ctx.root) ? path.relative(ctx.root, data) : data}`,
    );
    execFileSync(
      path.join(bin, 'initdb'),
      ['-D', data, '-U', user, `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-instructions'],
      { ...owner, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    rmSync(pwfile);
    // As the image's entrypoint: `host all all all <POSTGRES_HOST_AUTH_METHOD>`, until an init script says otherwise.
    writeFileSync(path.join(data, 'pg_hba.conf'), `local all all trust\nhost all all all ${auth}\n`);
    own(path.join(data, 'pg_hba.conf'), 0o600);

    const clientEnv = {
      PATH: `${bin}:${process.env.PATH}`,
      LANG: 'C',
      PGHOST: sockets,
      PGPORT: String(PORT),
      PGDATA: data,
      PGUSER: user,
      POSTGRES_USER: user,
      POSTGRES_DB: env.POSTGRES_DB || user,
      ...(password && { POSTGRES_PASSWORD: password, PGPASSWORD: password }),
    };
    await initialize({
      ctx,
      bin,
      data,
      owner,
      dir,
      settings,
      sockets,
      clientEnv,
      copy,
      database: clientEnv.POSTGRES_DB,
    });

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
        ...toArgs(settings),
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
    return {
      proc,
      /** The healthcheck's own command (pg_isready ...), aimed at the container's address. */
      probe: async (test) => {
        const args = test[0] === 'CMD' ? test.slice(1) : ['sh', '-c', test[1]];
        if (args[0] !== 'pg_isready')
          throw new Error(
            `postgres: healthcheck "${test.join(' ')}" is not pg_isready; this runner only knows the image's pg_isready`,
          );
        return ctx.runCheck(
          path.join(bin, 'pg_isready'),
          [...args.slice(1), '-h', ctx.addressOf(service.name), '-p', String(PORT)],
          { env: { PATH: process.env.PATH } },
        );
      },
    };
  },
};

/** Step 2 above: the temporary socket-only server, POSTGRES_DB, the init scripts; then stopped. */
async function initialize({ ctx, bin, data, owner, dir, settings, sockets, clientEnv, copy, database }) {
  const logFile = path.join(ctx.stateDir, 'postgres-init.log');
  const log = openSync(logFile, 'w');
  const run = (command, args) => {
    try {
      execFileSync(command, args, { ...owner, cwd: dir, env: clientEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
      throw new Error(`postgres: ${path.basename(args.at(-1) ?? command)} failed: ${output || error.message}`);
    }
  };
  const temp = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      data,
      ...toArgs(settings),
      '-c',
      'listen_addresses=',
      '-c',
      `port=${PORT}`,
      '-c',
      `unix_socket_directories=${sockets}`,
    ],
    { ...owner, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C' }, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const exited = new Promise((resolve) => temp.once('exit', resolve));
  try {
    for (let i = 0; ; i++) {
      if (temp.exitCode !== null)
        throw new Error(
          `postgres: the server stopped during initialization (its log: ${path.relative(ctx.root, logFile)})`,
        );
      try {
        run(path.join(bin, 'pg_isready'), ['-q']);
        break;
      } catch {
        if (i > 150) throw new Error('postgres: the initialization server did not start in 30s');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    if (database !== 'postgres')
      run(path.join(bin, 'psql'), [
        '-v',
        'ON_ERROR_STOP=1',
        '--no-psqlrc',
        '-d',
        'postgres',
        '-c',
        `CREATE DATABASE "${database}"`,
      ]);
    const initDir = hostPathOf(INIT_DIR, ctx.mounts);
    const scripts = initDir && existsSync(initDir) ? readdirSync(initDir).sort() : [];
    for (const name of scripts) {
      const script = copy(path.join(initDir, name), `init-${name}`);
      ctx.say(`postgres: running ${INIT_DIR}/${name}`);
      if (name.endsWith('.sh')) run('bash', [script]);
      else if (name.endsWith('.sql'))
        run(path.join(bin, 'psql'), ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '-d', database, '-f', script]);
      else ctx.say(`postgres: ignoring ${INIT_DIR}/${name}`);
    }
  } finally {
    if (temp.exitCode === null) temp.kill('SIGINT');
    await exited;
  }
}
