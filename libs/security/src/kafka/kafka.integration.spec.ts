import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Controller, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload, Transport, type KafkaContext, type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { Authenticated } from '../authz/authenticated.decorator';
import { SecurityModule } from '../security.module';
import type { Principal } from '../verification/principal';
import { TestIssuer } from '../testing/test-issuer';
import { EventPrincipal } from './event-principal.decorator';
import { eventDigest } from './event-binding';
import { buildEventMessage } from './kafka-event-publisher';
import { SecureEventPattern } from './secure-event-pattern.decorator';

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
 * Through a REAL broker (KAFKA_BROKERS) and a real hybrid Nest app (HTTP + Kafka microservice
 * connected WITHOUT inheritAppConfig, the NestJS default): only correctly bound events reach the
 * handler; every rejected one lands in `<topic>.dlq` with its reason.
 */
describe('Kafka: secure consumer through a real broker', () => {
  const brokers = process.env.KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];
  const topic = `payments.approved.${randomUUID().slice(0, 8)}`;
  const processed: { paymentId: string; sub: string }[] = [];
  const dead: { reason: string; headers: IHeaders; value: string }[] = [];
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let kafka: Kafka;
  let producer: Producer;
  let dlqConsumer: Consumer;

  @Controller()
  class AccountsEvents {
    @SecureEventPattern(topic, { transaction_id: 'paymentId', sub: 'userId' })
    onApproved(
      @Payload() event: { paymentId: string },
      @EventPrincipal() principal: Principal,
      @Ctx() _ctx: KafkaContext,
    ) {
      processed.push({ paymentId: event.paymentId, sub: principal.sub });
    }
    @Authenticated() @Get('ping') ping() {
      return 'pong';
    }
  }

  beforeAll(async () => {
    if (brokers.length === 0)
      throw new Error(
        'KAFKA_BROKERS is not set: this test needs a real broker (KAFKA_PORT=19192 bash infra/kafka/kafka.sh start)',
      );
    issuer = await TestIssuer.start();
    kafka = new Kafka({ clientId: 'security-spec', brokers, ssl: testKafkaSsl(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }, { topic: `${topic}.dlq` }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    dlqConsumer = kafka.consumer({ groupId: `dlq-${randomUUID()}` });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        dead.push({
          reason: message.headers?.['dlq-reason']?.toString() ?? '',
          headers: message.headers ?? {},
          value: message.value?.toString() ?? '',
        });
      },
    });

    class AccountsModule {}
    app = await NestFactory.create<NestFastifyApplication>(
      {
        module: AccountsModule,
        imports: [
          SecurityModule.forRoot({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] }),
        ],
        controllers: [AccountsEvents],
      },
      new FastifyAdapter(),
      { logger: false },
    );
    app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'accounts', brokers, ssl: testKafkaSsl(), logLevel: logLevel.NOTHING },
        consumer: { groupId: `accounts-${randomUUID()}` },
        subscribe: { fromBeginning: true },
      },
    });
    await app.startAllMicroservices();
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await dlqConsumer?.disconnect();
    await producer?.disconnect();
    await issuer?.stop();
  });

  it('processes the bound event once and dead-letters missing, forged, expired and mismatched tokens', async () => {
    const event = (paymentId: string) => ({
      eventId: `evt-${paymentId}`,
      key: paymentId,
      payload: { paymentId, userId: 'user-alice', amount: '10.00' },
    });
    const good = event('p-good');
    const messages = [
      buildEventMessage(
        issuer.token({ transaction_id: 'p-good', event_id: good.eventId, event_digest: eventDigest(good.payload) }),
        good,
      ),
      { ...buildEventMessage('x.y.z', event('p-missing')), headers: { 'event-id': 'evt-p-missing' } },
      buildEventMessage(issuer.unsignedToken('none', { transaction_id: 'p-forged' }, 'c2ln'), event('p-forged')),
      buildEventMessage(
        issuer.token({ transaction_id: 'p-expired', exp: Math.floor(Date.now() / 1000) - 3600 }),
        event('p-expired'),
      ),
      buildEventMessage(issuer.token({ transaction_id: 'p-other' }), event('p-mismatch')),
    ];
    await producer.send({ topic, messages });

    await waitFor(() => processed.length >= 1 && dead.length >= 4, 45_000);
    expect(processed).toEqual([{ paymentId: 'p-good', sub: 'user-alice' }]);
    expect(dead.map((d) => [JSON.parse(d.value).paymentId, d.reason])).toEqual([
      ['p-missing', 'ERR_TOKEN_MISSING'],
      ['p-forged', 'ERR_JWS_ALG_NOT_ALLOWED'],
      ['p-expired', 'ERR_JWT_EXPIRED'],
      ['p-mismatch', 'ERR_EVENT_BINDING_MISMATCH'],
    ]);
    for (const d of dead) {
      expect(d.headers.authorization).toBeUndefined();
      expect(d.headers['dlq-original-topic']?.toString()).toBe(topic);
    }
    expect((await app.inject({ url: '/ping' })).statusCode).toBe(401);
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for Kafka');
    await new Promise((r) => setTimeout(r, 100));
  }
}
