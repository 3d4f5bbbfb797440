// Starts the whole platform: the workload certificates, infrastructure (unless given), a fresh
// build, then every app, waiting until each reports healthy. `npm run demo` and the end-to-end
// tests both use this, so what the tests drive is exactly what a newcomer runs. Every connection
// is TLS: apps serve HTTPS with their workload certificate, Kafka and PostgreSQL demand one.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from '../build.mjs';
import { AppProcess } from './app-process.mjs';
import { startKafka } from './kafka.mjs';
import { ensurePki, trustPlatformCa } from './platform-pki.mjs';
import { checkPostgres, databaseUrlFor, dropDatabases, postgresServerUrl, startPostgres } from './postgres.mjs';
import { APPS, databaseFor, envFor } from './topology.mjs';
import { root, say } from './workspace.mjs';

/**
 * Options: `logDir`, `kafkaPort`, `postgresPort` (the cluster of its own, unless DATABASE_URL is
 * given), and for isolated runs `databasePrefix` (each app gets
 * `<prefix>_<app>` instead of `zt_<app>`) with `freshDatabases` (dropped first) and `freshKafka`;
 * `envOverrides` adds settings per app name (e.g. `{ gateway: { GATEWAY_RATE_LIMIT_IP: '...' } }`).
 */
export async function startPlatform({
  logDir = path.join(root, 'tmp/demo'),
  kafkaPort = 9092,
  postgresPort = 55432,
  databasePrefix,
  freshDatabases = false,
  freshKafka = false,
  envOverrides = {},
} = {}) {
  const stoppers = [];
  const stop = async () => {
    for (const fn of stoppers.reverse().splice(0)) await fn().catch((e) => say('demo', `stop: ${e.message}`));
  };
  try {
    mkdirSync(logDir, { recursive: true });
    const pkiDir = await ensurePki();
    trustPlatformCa(pkiDir);
    const owned = APPS.filter((a) => a.database).map((a) => ({
      role: a.name,
      database: databaseFor(a, databasePrefix),
    }));
    let databaseUrl;
    let postgres;
    if (process.env.DATABASE_URL) {
      say('demo', `using the PostgreSQL server in DATABASE_URL: ${postgresServerUrl().host}`);
      await checkPostgres();
      if (freshDatabases) await dropDatabases(owned.map((o) => o.database));
      databaseUrl = (app) => databaseUrlFor(databaseFor(app, databasePrefix));
    } else {
      say('demo', `starting PostgreSQL (TLS only, a role per service) on 127.0.0.1:${postgresPort}`);
      postgres = await startPostgres({
        port: postgresPort,
        stateDir: path.join(root, `tmp/postgres-${postgresPort}`),
        pkiDir,
        databases: owned,
        fresh: freshDatabases,
      });
      stoppers.push(postgres.stop);
      // The app's own role, authenticated by its workload certificate (TLS_*): no file paths in the URL.
      databaseUrl = (app) => postgres.urlFor(app.name, databaseFor(app, databasePrefix), { files: false });
    }

    let kafkaBrokers = process.env.KAFKA_BROKERS;
    let kafka;
    if (kafkaBrokers) {
      say('demo', `using the Kafka broker(s) in KAFKA_BROKERS: ${kafkaBrokers}`);
    } else {
      say('demo', `starting Kafka (TLS only, ACLs per service) on 127.0.0.1:${kafkaPort}`);
      kafka = await startKafka({
        port: kafkaPort,
        stateDir: path.join(root, `tmp/kafka-${kafkaPort}`),
        fresh: freshKafka,
        pkiDir,
      });
      stoppers.push(kafka.stop);
      kafkaBrokers = kafka.brokers;
    }

    say('demo', 'building the apps');
    build();

    const apps = APPS.map(
      (app) =>
        new AppProcess(
          app,
          { ...envFor(app, { kafkaBrokers, databaseUrl, pkiDir }), ...envOverrides[app.name] },
          logDir,
          pkiDir,
        ),
    );
    stoppers.push(() => Promise.all(apps.map((a) => a.stop())));
    // The authorization server first: every other app fetches its keys (JWKS) at start-up.
    const [issuer, ...rest] = [...apps].sort(
      (a, b) => Number(b.app.name === 'authorization-server') - Number(a.app.name === 'authorization-server'),
    );
    await startAll([issuer]);
    await startAll(rest);
    return { apps, kafkaBrokers, kafka, postgres, pkiDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startAll(apps) {
  for (const app of apps) {
    say('demo', `starting ${app.app.name.padEnd(21)} on ${app.url}  (log: ${path.relative(root, app.logFile)})`);
    app.start();
  }
  await Promise.all(
    apps.map(async (app) => {
      await app.waitHealthy();
      say('demo', `${app.app.name.padEnd(21)} healthy`);
    }),
  );
}
