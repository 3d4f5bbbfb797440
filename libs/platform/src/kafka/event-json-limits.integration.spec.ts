import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { buildEventMessage, eventDigest, SecureEventPattern, SecurityModule } from '@zt/security';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { PlatformModule } from '../platform.module';
import { SecuredTestApp, startSecuredAppForTest } from '../testing/start-secured-app-for-test';
import { testKafkaConfig, testKafkaTlsEnv } from '../testing/test-kafka';

/**
 * Issue 18, defect 2 for events: a payload nested thousands of levels deep used to be parsed by
 * Nest before any guard ran, and then recursed through (the guard's digest of the parsed value
 * threw a RangeError, so kafkajs redelivered it forever and the partition stalled). Through a
 * real broker and the platform's consumer (connectKafkaConsumer): it is refused on its raw bytes,
 * dead-lettered with its reason, and the next event is handled.
 */
describe('Kafka event payloads: JSON shape limits before parsing', () => {
  const topic = `limits.probe.${randomUUID().slice(0, 8)}`;
  const handled: string[] = [];
  const dead: { reason: string; offset: string; bytes: number }[] = [];
  let secured: SecuredTestApp;
  let producer: Producer;
  let dlqConsumer: Consumer;

  @Controller()
  class ProbeEvents {
    @SecureEventPattern(topic, { sub: 'userId' })
    onEvent(@Payload() event: { eventId: string }) {
      handled.push(event.eventId);
    }
  }
  // Built when the app loads it, so the platform reads the test's environment.
  const probeModule = () => {
    @Module({
      imports: [
        PlatformModule.forService({ name: 'limits-probe', defaultPort: 0, kafka: true }),
        SecurityModule.forRoot(),
      ],
      controllers: [ProbeEvents],
    })
    class ProbeModule {}
    return ProbeModule;
  };

  beforeAll(async () => {
    // The app and the test clients are the platform admin: no ACL names this test's own topics.
    const { brokers, ssl } = testKafkaConfig();
    secured = await startSecuredAppForTest({
      name: 'limits-probe',
      audience: 'limits-probe-api',
      loadModule: async () => probeModule(),
      env: { NODE_ENV: 'test', KAFKA_BROKERS: brokers.join(','), ...testKafkaTlsEnv() },
      kafkaConsumer: { groupId: `limits-probe-${randomUUID()}`, topics: [topic, `${topic}.dlq`] },
    });
    const kafka = new Kafka({ clientId: 'limits-spec', brokers, ssl, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    dlqConsumer = kafka.consumer({ groupId: `limits-dlq-${randomUUID()}` });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        dead.push({
          reason: message.headers?.['dlq-reason']?.toString() ?? '',
          offset: message.headers?.['dlq-original-offset']?.toString() ?? '',
          bytes: message.value?.length ?? 0,
        });
      },
    });
  }, 90_000);

  afterAll(async () => {
    await dlqConsumer?.disconnect();
    await producer?.disconnect();
    await secured?.close();
    // The consumers leave their groups over TLS and the app closes its HTTPS listener: more than 5 s
    // on a busy machine.
  }, 30_000);

  it('dead-letters an over-deep event with its reason and goes on to the next one', async () => {
    const eventOf = (eventId: string, payload: Record<string, unknown>) => {
      // A token bound to these exact bytes: only the shape limit may refuse the first event.
      const token = secured.issuer.token({ sub: 'user-alice', event_id: eventId, event_digest: eventDigest(payload) });
      return buildEventMessage(token, { eventId, key: 'user-alice', payload });
    };
    const levels = 12_000;
    // Written as text: JSON.stringify itself cannot write a value this deep.
    const deepJson = `{"eventId":"evt-deep","userId":"user-alice","extra":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    const deep = eventOf('evt-deep', { eventId: 'evt-deep', userId: 'user-alice' });
    const deepToken = secured.issuer.token({
      sub: 'user-alice',
      event_id: 'evt-deep',
      event_digest: eventDigest(Buffer.from(deepJson)),
    });
    const deepMessage = {
      ...deep,
      value: deepJson,
      headers: { ...deep.headers, authorization: `Bearer ${deepToken}` },
    };
    const wide = eventOf('evt-wide', {
      eventId: 'evt-wide',
      userId: 'user-alice',
      extra: Array.from({ length: 1_001 }, (_, i) => i),
    });
    const next = eventOf('evt-next', { eventId: 'evt-next', userId: 'user-alice' });
    await producer.send({ topic, messages: [deepMessage, wide, next] });

    const deadline = Date.now() + 45_000;
    while (!(handled.includes('evt-next') && dead.length >= 2) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(handled).toEqual(['evt-next']);
    expect(dead.map((d) => d.reason)).toEqual(['ERR_EVENT_PAYLOAD_SHAPE', 'ERR_EVENT_PAYLOAD_SHAPE']);
    // The dead letter keeps the original bytes, for whoever investigates.
    expect(dead[0]?.bytes).toBe(Buffer.byteLength(deepJson));
  }, 60_000);
});
