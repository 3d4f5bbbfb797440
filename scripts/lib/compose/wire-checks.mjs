// What zero trust on the wire must refuse in the compose deployment, checked on the running stack
// after a smoke run's story, from outside every service (as another process on the network would
// try). Each refusal stands next to a control that must succeed with the right identity, so a
// refusal is the rule's doing and not a dead service:
// - every app serving TLS: plain HTTP to its port gets no HTTP answer; an internal listener (one
//   the file does not publish) refuses TLS without a client certificate and answers /health to
//   the service's own certificate;
// - Kafka: a plaintext client and a TLS client without a certificate get nothing; a client with
//   the broker's healthcheck settings (--command-config) gets the cluster;
// - PostgreSQL: a connection without TLS is refused; each service's role, with its certificate,
//   reaches its own database and not another service's.
// Everything is read from the compose file (addresses from the runner's network, container paths
// through mounts.mjs); nothing is printed but names and verdicts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { root } from '../workspace.mjs';
import { kafkaImage } from './images/kafka.mjs';
import { postgresImage } from './images/postgres.mjs';
import { hostPathOf } from './mounts.mjs';

const { Client } = createRequire(`${root}/package.json`)('pg');
const TIMEOUT_MS = 4000;

/** GET /health; resolves with the HTTP status, or the error that stopped it. */
function get(module, options) {
  return new Promise((resolve) => {
    const req = module.get({ path: '/health', timeout: TIMEOUT_MS, agent: false, ...options }, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
  });
}

/** The TLS files a service names in its environment, read from their host folders. */
function tlsOf(deployment, service) {
  const file = (name) => {
    const value = service.environment[name];
    return value && readFileSync(hostPathOf(value, deployment.mounts[service.name]) ?? value);
  };
  return { cert: file('TLS_CERT_FILE'), key: file('TLS_KEY_FILE'), ca: file('TLS_CA_FILE') };
}

async function appChecks(deployment, service) {
  const address = deployment.network.addressOf(service.name);
  const port = Number(service.environment.PORT);
  const tls = tlsOf(deployment, service);
  const base = { host: address, port, servername: service.name };
  const results = [];
  const plain = await get(http, base);
  results.push([`${service.name}: plain HTTP gets no answer`, plain.error !== undefined, plain.status ?? plain.error]);
  const own = await get(https, { ...base, ...tls });
  results.push([
    `${service.name}: /health over mutual TLS with its own certificate`,
    own.status === 200,
    own.status ?? own.error,
  ]);
  if (!service.ports.length) {
    const anonymous = await get(https, { ...base, ca: tls.ca });
    results.push([
      `${service.name}: internal listener refuses TLS without a client certificate`,
      anonymous.error !== undefined,
      anonymous.status ?? anonymous.error,
    ]);
  }
  return results;
}

/** kafka-ready.cjs (the broker's healthcheck client) in the broker's network namespace; true on exit 0. */
function kafkaClient(deployment, bootstrap, configFile) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'scripts/lib/compose/kafka-ready.cjs'), bootstrap, ...(configFile ? [configFile] : [])],
      { env: { PATH: process.env.PATH, ...deployment.network.namespaceEnv('kafka') }, timeout: 20_000 },
      (error) => resolve(!error),
    );
  });
}

async function kafkaChecks(deployment, service) {
  const command = service.healthcheck?.test.join(' ') ?? '';
  const bootstrap = /--bootstrap-server[ =](\S+)/.exec(command)?.[1];
  const config = /--command-config[ =](\S+)/.exec(command)?.[1];
  if (!bootstrap || !config) return [[`${service.name}: no TLS healthcheck settings to check with`, false, command]];
  const configFile = hostPathOf(config, deployment.mounts[service.name]) ?? config;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zt-compose-wire-'));
  try {
    // The broker's own client settings minus its key store: TLS, the CA trusted, no certificate.
    const anonymous = path.join(dir, 'no-certificate.properties');
    writeFileSync(
      anonymous,
      readFileSync(configFile, 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('ssl.keystore.'))
        .join('\n'),
    );
    return [
      [
        `${service.name}: a client with the broker's TLS settings gets the cluster`,
        await kafkaClient(deployment, bootstrap, configFile),
      ],
      [`${service.name}: a plaintext client gets nothing`, !(await kafkaClient(deployment, bootstrap))],
      [
        `${service.name}: a TLS client without a certificate gets nothing`,
        !(await kafkaClient(deployment, bootstrap, anonymous)),
      ],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Connects and disconnects; resolves with undefined on success, else the error code. */
async function connectPg(options) {
  const client = new Client({ connectionTimeoutMillis: TIMEOUT_MS, ...options });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error.code ?? error.message;
  } finally {
    await client.end().catch(() => {});
  }
}

async function postgresChecks(deployment, service) {
  const host = deployment.network.addressOf(service.name);
  const users = deployment.services
    .filter((s) => s.environment.DATABASE_URL && s.environment.TLS_CERT_FILE)
    .map((s) => {
      const url = new URL(s.environment.DATABASE_URL);
      return { service: s, role: decodeURIComponent(url.username), database: url.pathname.slice(1) };
    })
    .filter(({ service: s }) => new URL(s.environment.DATABASE_URL).hostname === service.name);
  const results = [];
  for (const [i, user] of users.entries()) {
    const ssl = { ...tlsOf(deployment, user.service), servername: service.name };
    const own = await connectPg({ host, port: 5432, user: user.role, database: user.database, ssl });
    results.push([
      `${service.name}: ${user.role} reaches ${user.database} with its certificate`,
      own === undefined,
      own,
    ]);
    const plain = await connectPg({ host, port: 5432, user: user.role, database: user.database, ssl: false });
    results.push([`${service.name}: ${user.role} without TLS is refused`, plain !== undefined, plain]);
    const other = users[(i + 1) % users.length];
    if (other !== user) {
      const cross = await connectPg({ host, port: 5432, user: user.role, database: other.database, ssl });
      results.push([`${service.name}: ${user.role} cannot reach ${other.database}`, cross !== undefined, cross]);
    }
  }
  return results;
}

/** Runs every check; resolves with [description, passed, detail] for each. */
export async function checkWire(deployment) {
  const results = [];
  for (const service of deployment.services) {
    if (service.build && service.environment.TLS_CERT_FILE && service.environment.PORT)
      results.push(...(await appChecks(deployment, service)));
    else if (kafkaImage.matches(service)) results.push(...(await kafkaChecks(deployment, service)));
    else if (postgresImage.matches(service)) results.push(...(await postgresChecks(deployment, service)));
  }
  return results;
}
