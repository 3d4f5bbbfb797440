// Benchmark of the accounts consumer: events per second settled with each event's token verified
// (the real guard) ÷ the same consumer with verification switched off, against a real broker and
// PostgreSQL, in paired rounds measured in the same run (median of the per-round ratios).
//   node bench/run.mjs bank        (starts a private broker on 127.0.0.1:19592 unless KAFKA_BROKERS is set)
// BENCH_QUICK=1 for a smoke run.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka } from '../../scripts/lib/kafka.mjs';
import { ensurePki, OPERATOR, tlsEnvFor } from '../../scripts/lib/platform-pki.mjs';

const require = createRequire(import.meta.url);
require('../lib/ts-hook.cjs');
const here = path.dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const EVENTS = QUICK ? 150 : 600;
const ROUNDS = QUICK ? 2 : 5;

const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');
const { TestIssuer } = require('../../libs/security/src/testing/index.ts');
const { eventDigest } = require('../../libs/security/src/index.ts');
const { createService } = require('../../libs/platform/src/index.ts');
const { testDatabaseUrl, testKafkaConfig } = require('../../libs/platform/src/testing/index.ts');

// The broker speaks mutual TLS with ACLs, as in the demo; the bench's consumer and producer are the
// operator (its own topics are in no ACL), so TLS is measured on both sides and ACLs are not in the way.
const pkiDir = await ensurePki();
process.env.ZT_TEST_PKI_DIR = pkiDir;
let kafkaServer;
let brokers = process.env.KAFKA_BROKERS;
if (!brokers) {
  kafkaServer = await startKafka({
    port: 19592,
    stateDir: path.join(here, '../../tmp/kafka-bench'),
    fresh: true,
    pkiDir,
  });
  brokers = kafkaServer.brokers;
}
process.env.KAFKA_BROKERS = brokers;
const issuer = await TestIssuer.start({ audience: 'accounts-api', algorithms: ['RS256'] });
const database = 'zt_bench_settlement';
const admin = new Client({ connectionString: testDatabaseUrl('postgres') });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
await admin.end();

// Before the module is loaded: the platform validates configuration while the module is built.
// Development mode, chosen explicitly: without it the platform applies production rules.
Object.assign(process.env, {
  NODE_ENV: 'development',
  ...issuer.env(),
  DATABASE_URL: testDatabaseUrl(database),
  KAFKA_BROKERS: brokers,
  ...tlsEnvFor(OPERATOR, pkiDir),
  LOG_LEVEL: 'silent',
});
const { VERIFIED_TOPIC, UNVERIFIED_TOPIC, SettlementBenchModule } = require('./settlement-bench.module.ts');
const app = await createService({
  name: 'accounts-bench',
  title: 'bench',
  loadModule: async () => SettlementBenchModule,
  kafkaConsumer: { groupId: `bench-${Date.now()}`, topics: [VERIFIED_TOPIC, UNVERIFIED_TOPIC] },
});
await app.startAllMicroservices();
await app.init();
const db = app.get(require('typeorm').DataSource);
const [source] = await db.query(
  "INSERT INTO accounts (owner_sub, currency, balance_minor) VALUES ('usr_bench', 'EUR', 900000000000) RETURNING id",
);
const [destination] = await db.query(
  "INSERT INTO accounts (owner_sub, currency, balance_minor) VALUES ('usr_other', 'EUR', 0) RETURNING id",
);

const producer = new Kafka({ clientId: 'bench', ...testKafkaConfig(), logLevel: logLevel.NOTHING }).producer();
await producer.connect();

/** Produces `count` approved events (each with its own bound event token) and times until all are settled. */
async function round(topic, count) {
  const messages = [];
  for (let i = 0; i < count; i++) {
    const event = {
      eventId: randomUUID(),
      paymentId: randomUUID(),
      userId: 'usr_bench',
      sourceAccountId: source.id,
      destinationAccountId: destination.id,
      amountMinor: '1',
      currency: 'EUR',
      approvedAt: new Date().toISOString(),
    };
    const value = JSON.stringify(event);
    const token = issuer.token({
      sub: 'usr_bench',
      aud: 'accounts-api',
      scope: 'payments:approve',
      transaction_id: event.paymentId,
      event_id: event.eventId,
      event_digest: eventDigest(value),
    });
    messages.push({
      key: event.paymentId,
      value,
      headers: { authorization: `Bearer ${token}`, 'event-id': event.eventId },
    });
  }
  const [{ n: before }] = await db.query('SELECT count(*)::int AS n FROM processed_events');
  const started = performance.now();
  await producer.send({ topic, messages });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM processed_events');
    if (n - before >= count) break;
    if (Date.now() > deadline) throw new Error(`${topic}: only ${n - before}/${count} settled in 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return count / ((performance.now() - started) / 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  await round(UNVERIFIED_TOPIC, 50); // warm up both paths (JIT, connections, group assignment)
  await round(VERIFIED_TOPIC, 50);
  const ratios = [];
  const rates = { verified: [], unverified: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which scenario goes first, so neither always pays for a cold start.
    const first = r % 2 === 0 ? UNVERIFIED_TOPIC : VERIFIED_TOPIC;
    const second = first === VERIFIED_TOPIC ? UNVERIFIED_TOPIC : VERIFIED_TOPIC;
    const results = { [first]: await round(first, EVENTS), [second]: await round(second, EVENTS) };
    const [off, on] = [results[UNVERIFIED_TOPIC], results[VERIFIED_TOPIC]];
    rates.unverified.push(off);
    rates.verified.push(on);
    ratios.push(on / off);
    if (process.env.BENCH_VERBOSE)
      console.log(
        `  round ${r}: ${first === VERIFIED_TOPIC ? 'on first' : 'off first'}  off ${off.toFixed(0)}/s  on ${on.toFixed(0)}/s`,
      );
  }
  console.log(
    `settlement consumer, ${EVENTS} events x ${ROUNDS} paired rounds (each event: its own RS256 event token, one DB transaction)`,
  );
  console.log(`  verification off : ${median(rates.unverified).toFixed(0)} events/s (median)`);
  console.log(`  verification on  : ${median(rates.verified).toFixed(0)} events/s (median)`);
  console.log(`  ratio on / off   : ${median(ratios).toFixed(3)}   (target >= 0.85, issue 17)`);
} finally {
  await producer.disconnect();
  await app.close();
  await issuer.stop();
  await kafkaServer?.stop();
}
