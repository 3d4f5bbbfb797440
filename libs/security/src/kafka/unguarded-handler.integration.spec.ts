import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Controller } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel } from 'kafkajs';
import { SecurityModule } from '../security.module';
import { TestIssuer } from '../testing/test-issuer';

/**
 * The test broker speaks mutual TLS only: ZT_TEST_PKI_DIR names the test runner's PKI folder, and
 * these clients present its platform-admin certificate (a super user: no ACL names these test
 * topics). libs/security imports no workspace lib, so the lines of @zt/platform's test helper
 * (testKafkaConfig) are repeated here. Without ZT_TEST_PKI_DIR: a plaintext broker.
 */
function testKafkaSsl(): ConnectionOptions | undefined {
  const dir = process.env.ZT_TEST_PKI_DIR?.trim();
  if (!dir) return undefined;
  const file = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return { ca: [file('ca.crt')], cert: file('platform-admin.crt'), key: file('platform-admin.key') };
}

/**
 * Issue 12, item 3, through a REAL broker (KAFKA_BROKERS): a hybrid app with an unguarded
 * `@EventPattern` handler must never process an event, whatever order the app is started in.
 * NestJS marks a connected microservice as initialised, so `startAllMicroservices()` starts
 * consuming WITHOUT running lifecycle hooks; a check in `onModuleInit` runs only later, in
 * `app.init()`/`app.listen()`, after the first events may already have been handled.
 * The event (with no token at all) is already in the topic before each start attempt.
 */
describe('Kafka: an unguarded handler never runs, whatever the start-up order', () => {
  const brokers = process.env.KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
  const run = randomUUID().slice(0, 8);
  let issuer: TestIssuer;
  let kafka: Kafka;

  beforeAll(async () => {
    if (brokers.length === 0)
      throw new Error(
        'KAFKA_BROKERS is not set: this test needs a real broker (KAFKA_PORT=19192 bash infra/kafka/kafka.sh start)',
      );
    issuer = await TestIssuer.start();
    kafka = new Kafka({ clientId: `unguarded-spec-${run}`, brokers, ssl: testKafkaSsl(), logLevel: logLevel.NOTHING });
  }, 30_000);
  afterAll(() => issuer?.stop());

  it.each([
    ['startAllMicroservices() before listen(), without init()', { init: false, microservicesFirst: true }],
    ['startAllMicroservices() before listen(), after init()', { init: true, microservicesFirst: true }],
    ['listen() before startAllMicroservices(), without init()', { init: false, microservicesFirst: false }],
    ['listen() before startAllMicroservices(), after init()', { init: true, microservicesFirst: false }],
  ])(
    '%s: start-up fails naming the handler, and the handler body never runs',
    async (_name, order) => {
      const topic = `unguarded.${run}.${order.init ? 'init' : 'noinit'}.${order.microservicesFirst ? 'ms' : 'http'}`;
      await produceUnauthenticatedEvent(kafka, topic);
      const handled: unknown[] = [];

      @Controller()
      class LedgerEvents {
        @EventPattern(topic)
        onEvent(@Payload() event: unknown) {
          handled.push(event);
        }
      }

      class HybridModule {}
      let app: NestFastifyApplication | undefined;
      const start = async () => {
        app = await NestFactory.create<NestFastifyApplication>(
          {
            module: HybridModule,
            imports: [
              SecurityModule.forRoot({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] }),
            ],
            controllers: [LedgerEvents],
          },
          new FastifyAdapter(),
          { logger: false, abortOnError: false },
        );
        app.connectMicroservice<MicroserviceOptions>({
          transport: Transport.KAFKA,
          options: {
            client: { clientId: `ledger-${run}`, brokers, ssl: testKafkaSsl(), logLevel: logLevel.NOTHING },
            consumer: { groupId: `ledger-${topic}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 },
            subscribe: { fromBeginning: true },
          },
        });
        if (order.init) await app.init();
        if (order.microservicesFirst) {
          await app.startAllMicroservices();
          await app.listen(0, '127.0.0.1');
        } else {
          await app.listen(0, '127.0.0.1');
          await app.startAllMicroservices();
        }
      };
      try {
        await expect(start()).rejects.toThrow(`Unguarded message handlers: LedgerEvents.onEvent`);
        // Give a consumer that did start (the bug) ample time to join its group and fetch the event.
        await settle(() => handled.length > 0, 6_000);
        expect(handled).toEqual([]);
      } finally {
        await app?.close().catch(() => undefined);
      }
    },
    60_000,
  );
});

async function produceUnauthenticatedEvent(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [{ key: 'p-1', value: JSON.stringify({ paymentId: 'p-1', amount: '1000000.00' }) }],
  });
  await producer.disconnect();
}

/** Waits until `happened()` or `ms` elapse; returns early only if the thing we must never see happens. */
async function settle(happened: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!happened() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
