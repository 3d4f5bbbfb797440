import { ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Controller, Logger, Module, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createService } from '../bootstrap/run-service';
import { PlatformModule } from '../platform.module';
import { KafkaProducerService } from './kafka-producer.service';
import { startMicroservices } from './start-microservices';
import { testPkiDir } from '../testing/test-kafka';

/**
 * The first `npm run demo` on a busy machine: consumers start against a broker formatted a moment
 * ago while both cores are taken by something else. Each consumer app starts exactly as
 * runService starts it (createService → connectKafkaConsumer → ensureTopics, then
 * startMicroservices), two of them at once as accounts and payments do, and each must receive an
 * event. Before ensureTopics waited for the broker's metadata, this failed with "This server does
 * not host this topic-partition" from the topic set-up, outside any retry.
 */
const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '../../../..');
const kafkaScript = path.join(root, 'infra/kafka/kafka.sh');
const port = 39140; // its own broker, away from the shared one (29092) and the demo's
// The broker speaks mutual TLS only: it trusts the test PKI (created by kafka.sh when missing), and
// the apps present its platform-admin certificate, a super user (no ACL names these test topics).
const pkiDir = testPkiDir() ?? path.join(root, 'tmp/pki');
const kafkaEnv = {
  ...process.env,
  KAFKA_PORT: String(port),
  KAFKA_STATE_DIR: path.join(root, `tmp/kafka-fresh-broker-${port}`),
  KAFKA_TLS_DIR: pkiDir,
};
const adminTlsEnv = {
  TLS_CERT_FILE: path.join(pkiDir, 'platform-admin.crt'),
  TLS_KEY_FILE: path.join(pkiDir, 'platform-admin.key'),
  TLS_CA_FILE: path.join(pkiDir, 'ca.crt'),
};

const received: Record<string, unknown[]> = {};

function consumerModule(name: string, topics: string[]): Type<unknown> {
  @Controller()
  class ProbeEventsController {
    // A plain handler on purpose: this suite is about Kafka start-up, not event tokens.
    @EventPattern(topics)
    onEvent(@Payload() payload: { topic: string }) {
      (received[payload.topic] ??= []).push(payload);
    }
  }
  @Module({
    imports: [PlatformModule.forService({ name, defaultPort: 0, kafka: true })],
    controllers: [ProbeEventsController],
    providers: [KafkaProducerService],
  })
  class ProbeModule {}
  return ProbeModule;
}

/** What runService does before listen(). */
async function startConsumerApp(name: string, topics: string[]): Promise<NestFastifyApplication> {
  const app = await createService({
    name,
    title: name,
    loadModule: async () => consumerModule(name, topics),
    kafkaConsumer: { groupId: name, topics },
  });
  await startMicroservices(app);
  return app;
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('consumers on a freshly formatted broker, both cores busy', () => {
  const burners: ChildProcess[] = [];
  const apps: NestFastifyApplication[] = [];
  const warnings: string[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    // Two busy loops, one per core, for the whole suite (the "other install beside it").
    for (let i = 0; i < 2; i++) burners.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    await execFileAsync('bash', [kafkaScript, 'reset'], { env: kafkaEnv });
    await execFileAsync('bash', [kafkaScript, 'start'], { env: kafkaEnv });
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      ...adminTlsEnv,
    });
    // Retry lines are kept, not printed: they explain a failure, and a pass may well have some.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  }, 120_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = savedEnv;
    await Promise.all(apps.map((app) => app.close().catch(() => undefined)));
    for (const burner of burners) burner.kill('SIGKILL');
    // reset = stop (by the pid in the state dir) and delete the state dir.
    await execFileAsync('bash', [kafkaScript, 'reset'], { env: kafkaEnv });
  }, 60_000);

  it('starts both consumer apps and each receives an event', async () => {
    const accountsTopic = 'fresh.payments.approved';
    const accountsTopics = [accountsTopic];
    const paymentsTopic = 'fresh.payments.settled';
    const paymentsTopics = [paymentsTopic, 'fresh.payments.rejected'];
    const started = await Promise.allSettled([
      startConsumerApp('fresh-accounts', accountsTopics),
      startConsumerApp('fresh-payments', paymentsTopics),
    ]);
    for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
    const failures = started.flatMap((result) =>
      result.status === 'rejected' ? [String((result.reason as Error).message)] : [],
    );
    expect({ failures, warnings }).toEqual({ failures: [], warnings: expect.any(Array) });

    const [accounts, payments] = apps;
    if (!accounts || !payments) throw new Error('both apps must have started (no failures, asserted above)');
    // Each app's producer publishes to the other one's topic, as payments and accounts do.
    await payments
      .get(KafkaProducerService)
      .send({ topic: accountsTopic, messages: [{ value: JSON.stringify({ topic: accountsTopic }) }] });
    await accounts
      .get(KafkaProducerService)
      .send({ topic: paymentsTopic, messages: [{ value: JSON.stringify({ topic: paymentsTopic }) }] });
    await until(() => Boolean(received[accountsTopic]?.length && received[paymentsTopic]?.length), 30_000);
    expect({ received, warnings }).toEqual({
      received: { [accountsTopic]: [{ topic: accountsTopic }], [paymentsTopic]: [{ topic: paymentsTopic }] },
      warnings: expect.any(Array),
    });
  }, 60_000);
});
