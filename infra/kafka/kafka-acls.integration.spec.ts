/**
 * Issue 13, item 4, against a REAL broker started by kafka.sh (mutual TLS only, StandardAuthorizer,
 * principals from the certificate CN) with the platform's ACLs (acls.json) applied by this test as
 * the platform admin. Run it with
 *   KAFKA_PORT=29392 KAFKA_TLS_DIR=$PWD/tmp/pki-29392 bash infra/kafka/kafka.sh start
 *   KAFKA_BROKERS=127.0.0.1:29392 ZT_TEST_PKI_DIR=tmp/pki-29392 npx jest -c infra/jest.config.cjs kafka-acls
 * Every refusal here comes from the broker; none is checked by the client.
 */
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
// The platform's test helper for Kafka clients (no entry in the @zt/platform/testing barrel).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { testKafkaConfig, testPkiDir } from '../../libs/platform/src/testing/test-kafka';
import { createCa, issueWorkloadCertificate } from '@zt/dev-pki';
import { applyKafkaAcls } from './kafka-acls';
import { apiVersionsRequest } from './api-versions-request';

jest.setTimeout(60_000);

const APPROVED = 'payments.approved';
const SETTLED = 'payments.settled';

function kafka(config: Partial<KafkaConfig> & { ssl?: ConnectionOptions | undefined }): Kafka {
  return new Kafka({
    clientId: `acl-spec-${randomUUID().slice(0, 8)}`,
    brokers: testKafkaConfig().brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    // A refusal is final: no retries, so the test sees the broker's first answer.
    retry: { retries: 0 },
    ...config,
  });
}

/** The error kafkajs surfaces, with the broker's error type found wherever kafkajs wrapped it. */
async function refusal(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    const types: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
      const type = (e as { type?: string }).type;
      if (type) types.push(type);
    }
    return types.join(' < ') || (error as Error).name;
  }
  throw new Error('expected the broker to refuse, but it accepted');
}

/** A raw plaintext Kafka ApiVersions request: resolves to whatever came back before the broker hung up. */
function plaintextApiVersions(address: string): Promise<Buffer> {
  const i = address.lastIndexOf(':');
  const request = apiVersionsRequest('acl-spec', 0x0acc);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy(new Error('the broker neither answered nor closed')));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => (received = Buffer.concat([received, chunk])));
    socket.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve(received));
  });
}

describe('Kafka over mutual TLS with ACLs (real broker)', () => {
  const pkiDir = testPkiDir();
  const unlisted = `zt-acl-spec-unlisted-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    if (!pkiDir) throw new Error('ZT_TEST_PKI_DIR is not set: this test needs the TLS broker of kafka.sh');
    await applyKafkaAcls({
      brokers: testKafkaConfig().brokers,
      pkiDir,
      acls: path.join(__dirname, 'acls.json'),
    });
    // A topic no ACL names: only allow.everyone.if.no.acl.found=false keeps it closed.
    const admin = kafka({ ssl: testKafkaConfig().ssl }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: unlisted }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    const admin = kafka({ ssl: testKafkaConfig().ssl }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [unlisted] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('refuses plaintext: no Kafka answer, the connection is closed', async () => {
    const [address] = testKafkaConfig().brokers;
    const answer = await plaintextApiVersions(address!);
    // A Kafka answer would start with its size and our correlation id; a TLS listener sends at
    // most an alert record (content type 0x15) before it hangs up.
    expect(answer.length >= 8 && answer.readInt32BE(4) === 0x0acc).toBe(false);
    // And kafkajs without TLS cannot even fetch the cluster's metadata.
    expect(await refusal(() => kafka({ ssl: undefined }).admin().connect())).toMatch(/KafkaJS|Error/);
  });

  it('refuses a client without a certificate', async () => {
    const { ca } = testKafkaConfig().ssl!;
    const admin = kafka({ ssl: { ca } }).admin();
    expect(await refusal(() => admin.connect())).toMatch(/KafkaJS|Error/);
    await admin.disconnect();
  });

  it('refuses a certificate from another CA, even one naming a real workload', async () => {
    const otherCa = await createCa('another CA');
    const payments = await issueWorkloadCertificate(otherCa, { name: 'payments' });
    const { ca } = testKafkaConfig().ssl!;
    const producer = kafka({ ssl: { ca, cert: payments.cert, key: payments.key } }).producer();
    expect(await refusal(() => producer.connect())).toMatch(/KafkaJS|Error/);
    await producer.disconnect();
  });

  it('refuses the users workload producing to payments.approved (TOPIC_AUTHORIZATION_FAILED)', async () => {
    const producer = kafka({ ssl: testKafkaConfig('users').ssl }).producer();
    await producer.connect(); // authenticated: a valid platform certificate
    const error = await refusal(() => producer.send({ topic: APPROVED, messages: [{ value: 'forged' }] }));
    await producer.disconnect();
    expect(error).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses payments producing outside its ACLs: a result topic, and a topic no ACL names', async () => {
    const producer = kafka({ ssl: testKafkaConfig('payments').ssl }).producer();
    await producer.connect();
    const toResults = await refusal(() => producer.send({ topic: SETTLED, messages: [{ value: 'forged' }] }));
    const toUnlisted = await refusal(() => producer.send({ topic: unlisted, messages: [{ value: 'x' }] }));
    await producer.disconnect();
    expect({ toResults, toUnlisted }).toEqual({
      toResults: expect.stringContaining('TOPIC_AUTHORIZATION_FAILED'),
      toUnlisted: expect.stringContaining('TOPIC_AUTHORIZATION_FAILED'),
    });
  });

  it('lets payments produce to payments.approved and accounts consume it in its own group', async () => {
    const key = `acl-spec-${randomUUID()}`;
    const consumer = kafka({ ssl: testKafkaConfig('accounts').ssl, retry: { retries: 5 } }).consumer({
      groupId: 'accounts',
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    let timer: NodeJS.Timeout | undefined;
    const received = new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('accounts received nothing within 40s')), 40_000);
      consumer
        .connect()
        .then(() => consumer.subscribe({ topics: [APPROVED], fromBeginning: true }))
        .then(() =>
          consumer.run({
            eachMessage: async ({ message }) => {
              if (message.key?.toString() !== key) return;
              clearTimeout(timer);
              resolve(String(message.value));
            },
          }),
        )
        .catch(reject);
    });
    // As the platform's producer does: idempotent, which needs WRITE on some topic (KIP-679).
    const producer = kafka({ ssl: testKafkaConfig('payments').ssl, retry: { retries: 3 } }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    try {
      await producer.connect();
      const [sent] = await producer.send({ topic: APPROVED, acks: -1, messages: [{ key, value: 'approved' }] });
      expect(sent).toMatchObject({ topicName: APPROVED, errorCode: 0 });
      expect(await received).toBe('approved');
    } finally {
      clearTimeout(timer);
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    }
  });
});
