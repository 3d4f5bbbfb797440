import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { testKafkaConfig } from '../testing/test-kafka';

/**
 * kafkajs 2.2.4 as installed here (patched at install by patches/apply-patches.mjs, see
 * docs/adr/0001-patch-kafkajs-request-queue.md) must not call setTimeout with a negative delay:
 * on Node 24 that prints "TimeoutNegativeWarning: -17… is a negative number" in every Kafka app,
 * and on any Node it was a 1 ms timer re-armed for as long as a connection lived. A separate Node
 * process (no --disable-warning, no NODE_OPTIONS) runs a producer and a consumer against the
 * broker, receives its event, then counts the timers created while it sits idle.
 */
const run = promisify(execFile);

const probe = `
const { createHook } = require('node:async_hooks');
const { Kafka, logLevel } = require(process.env.KAFKAJS_PATH);
(async () => {
  const topic = process.env.PROBE_TOPIC;
  // The test broker speaks mutual TLS: the admin's certificate and the CA come in as JSON (PEM strings).
  const ssl = process.env.KAFKA_SSL ? JSON.parse(process.env.KAFKA_SSL) : undefined;
  const kafka = new Kafka({ clientId: 'warning-probe', brokers: process.env.KAFKA_BROKERS.split(','), ssl, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: topic });
  const producer = kafka.producer();
  let got;
  const received = new Promise((resolve) => (got = resolve));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => got(message.value.toString()) });
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'ping' }] });
  const value = await received;
  let idleTimeouts = 0;
  const hook = createHook({ init: (_id, type) => { if (type === 'Timeout') idleTimeouts++; } }).enable();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  hook.disable();
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  process.stdout.write(JSON.stringify({ value, idleTimeouts }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('kafkajs request queue (patched at install)', () => {
  it('runs a producer and a consumer without TimeoutNegativeWarning and without an idle timer loop', async () => {
    const { brokers, ssl } = testKafkaConfig();
    const env = {
      PATH: process.env.PATH,
      KAFKA_BROKERS: brokers.join(','),
      ...(ssl ? { KAFKA_SSL: JSON.stringify(ssl) } : {}),
      KAFKAJS_PATH: require.resolve('kafkajs'),
      PROBE_TOPIC: `warning-probe-${randomUUID()}`,
    };
    const { stdout, stderr } = await run(process.execPath, ['-e', probe], { env, timeout: 25_000 });
    expect(stderr).not.toContain('TimeoutNegativeWarning');
    const result = JSON.parse(stdout) as { value: string; idleTimeouts: number };
    expect(result.value).toBe('ping');
    // Idle, a consumer and a producer create a few timers a second (heartbeats, fetch waits);
    // the unpatched queue created about one per millisecond and per connection.
    expect(result.idleTimeouts).toBeLessThan(100);
  }, 30_000);
});
