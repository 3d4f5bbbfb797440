// Starts the whole platform: infrastructure (unless given), a fresh build, then every app,
// waiting until each reports healthy. `npm run demo` and the end-to-end tests both use this,
// so what the tests drive is exactly what a newcomer runs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from '../build.mjs';
import { AppProcess } from './app-process.mjs';
import { startKafka } from './kafka.mjs';
import { checkPostgres, postgresServerUrl } from './postgres.mjs';
import { APPS, envFor } from './topology.mjs';
import { root, say } from './workspace.mjs';

export async function startPlatform({ logDir = path.join(root, 'tmp/demo'), kafkaPort = 9092 } = {}) {
  const stoppers = [];
  const stop = async () => {
    for (const fn of stoppers.reverse().splice(0)) await fn().catch((e) => say('demo', `stop: ${e.message}`));
  };
  try {
    mkdirSync(logDir, { recursive: true });
    say('demo', `checking PostgreSQL at ${postgresServerUrl().host}`);
    await checkPostgres();

    let kafkaBrokers = process.env.KAFKA_BROKERS;
    if (kafkaBrokers) {
      say('demo', `using the Kafka broker(s) in KAFKA_BROKERS: ${kafkaBrokers}`);
    } else {
      say('demo', `starting Kafka on 127.0.0.1:${kafkaPort}`);
      const kafka = await startKafka({ port: kafkaPort, stateDir: path.join(root, `tmp/kafka-${kafkaPort}`) });
      stoppers.push(kafka.stop);
      kafkaBrokers = kafka.brokers;
    }

    say('demo', 'building the apps');
    build();

    const apps = APPS.map((app) => new AppProcess(app, envFor(app, { kafkaBrokers }), logDir));
    stoppers.push(() => Promise.all(apps.map((a) => a.stop())));
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
    return { apps, kafkaBrokers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
