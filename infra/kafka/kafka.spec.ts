/**
 * Integration test against a REAL Kafka broker (no mocks). Start one with
 *   bash infra/kafka/kafka.sh start
 * and run
 *   KAFKA_BROKERS=127.0.0.1:9092 ZT_TEST_PKI_DIR=tmp/pki npx jest -c infra/jest.config.cjs
 * The broker speaks mutual TLS only: the test presents the platform-admin certificate from
 * ZT_TEST_PKI_DIR (the folder kafka.sh trusts, KAFKA_TLS_DIR). Without KAFKA_BROKERS this test fails
 * on purpose: it never skips.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Admin, Consumer, EachMessagePayload, Kafka, logCreator, logLevel, Partitioners, Producer } from 'kafkajs';
// The test broker's client settings; infra may use the platform lib, which has no barrel entry for it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { testKafkaConfig } from '../../libs/platform/src/testing/test-kafka';
import { apiVersionsRequest } from './api-versions-request';

jest.setTimeout(60_000);

// kafkajs's own request tables (plain CommonJS inside the package, no typings).
const loadKafkajsInternal = createRequire(__filename);

function brokersFromEnv(): [string, ...string[]] {
  const raw = process.env.KAFKA_BROKERS;
  const brokers = (raw ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: this is an integration test against a real broker. ' +
        'Start one with `bash infra/kafka/kafka.sh start` and run with KAFKA_BROKERS=127.0.0.1:9092.',
    );
  }
  return brokers as [string, ...string[]]; // not empty: checked above
}

function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

// kafkajs logs (at ERROR) every protocol error a broker answers, including the retriable
// ones it then handles itself, e.g. while a fresh broker creates __consumer_offsets for the
// first group. Those are dropped, as are connection failures; anything else still reaches
// the console.
const RETRIABLE = [
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests",
  'This is not the correct coordinator',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
];
const quietLogs: logCreator =
  () =>
  ({ namespace, log }) => {
    const error = String((log as { error?: unknown }).error ?? '');
    if (namespace === 'Connection' && log.message.startsWith('Response ') && RETRIABLE.some((r) => error.includes(r)))
      return;
    // Unreachable broker: the test itself fails with a clearer message (see connected()).
    if (/^(Connection error|Failed to connect to seed broker)/.test(log.message)) return;
    console.error(`kafkajs ${namespace}: ${log.message}`, error);
  };

const isLoopback = (host: string) => host === 'localhost' || host.startsWith('127.') || host === '::1';

/** The broker's supported [min, max] per API key, from a raw ApiVersions v0 request. */
function apiVersions(address: string): Promise<Map<number, { min: number; max: number }>> {
  const { host, port } = splitHostPort(address);
  const request = apiVersionsRequest('kafka.spec', 4242);

  return new Promise((resolve, reject) => {
    const { ssl } = testKafkaConfig();
    // The same raw request over the broker's TLS listener (plaintext only for a plaintext broker).
    const socket: net.Socket = ssl ? tls.connect({ ...ssl, host, port }) : net.connect({ host, port });
    const ready = ssl ? 'secureConnect' : 'connect';
    let received = Buffer.alloc(0);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`ApiVersions request to ${address} timed out`)));
    socket.on('error', (err) =>
      reject(
        new Error(
          `cannot reach Kafka at ${address}: ${err.message} (is the broker running? bash infra/kafka/kafka.sh start)`,
        ),
      ),
    );
    socket.on(ready, () => socket.write(request));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.end();
      try {
        expect(received.readInt32BE(4)).toBe(4242);
        expect(received.readInt16BE(8)).toBe(0); // error_code NONE
        const count = received.readInt32BE(10);
        const versions = new Map<number, { min: number; max: number }>();
        for (let i = 0, off = 14; i < count; i++, off += 6) {
          versions.set(received.readInt16BE(off), {
            min: received.readInt16BE(off + 2),
            max: received.readInt16BE(off + 4),
          });
        }
        resolve(versions);
      } catch (err) {
        reject(err);
      }
    });
  });
}

describe('Kafka broker (real, via kafkajs 2.2.4)', () => {
  let kafka: Kafka | undefined;
  const clients: Array<Admin | Producer | Consumer> = [];
  const cleanup: Array<(admin: Admin) => Promise<unknown>> = [];

  function client(): Kafka {
    if (!kafka) {
      kafka = new Kafka({
        clientId: 'zt-infra-kafka-spec',
        brokers: brokersFromEnv(),
        ssl: testKafkaConfig().ssl,
        logLevel: logLevel.ERROR,
        logCreator: quietLogs,
        connectionTimeout: 3_000,
        requestTimeout: 10_000,
        // Bounded: with no broker the test fails within seconds instead of retrying for minutes.
        retry: { retries: 3, initialRetryTime: 250, maxRetryTime: 2_000 },
      });
    }
    return kafka;
  }

  async function connected<T extends Admin | Producer | Consumer>(c: T): Promise<T> {
    clients.push(c);
    try {
      await c.connect();
    } catch (err) {
      throw new Error(
        `cannot reach Kafka at ${process.env.KAFKA_BROKERS}: ${(err as Error).message} ` +
          '(is the broker running? bash infra/kafka/kafka.sh start)',
      );
    }
    return c;
  }

  afterAll(async () => {
    const isAdmin = (c: Admin | Producer | Consumer): c is Admin => 'createTopics' in c;
    // Consumers first (they leave their group), then delete what the tests made, then admins.
    await Promise.allSettled(clients.filter((c) => !isAdmin(c)).map((c) => c.disconnect()));
    const admin = clients.find(isAdmin);
    if (admin) for (const step of cleanup) await step(admin).catch(() => undefined);
    await Promise.allSettled(clients.filter(isAdmin).map((c) => c.disconnect()));
  });

  it('speaks the protocol versions kafkajs 2.2.4 needs (Kafka 3.x generation)', async () => {
    const [bootstrap] = brokersFromEnv();
    const versions = await apiVersions(bootstrap);

    // kafkajs's own table of the versions it implements per API: for every API this
    // platform uses, the broker must accept at least one of them.
    const apiKeys: Record<string, number> = loadKafkajsInternal('kafkajs/src/protocol/requests/apiKeys');
    const used = [
      'Produce',
      'Fetch',
      'ListOffsets',
      'Metadata',
      'OffsetCommit',
      'OffsetFetch',
      'GroupCoordinator',
      'JoinGroup',
      'Heartbeat',
      'LeaveGroup',
      'SyncGroup',
      'ApiVersions',
      'CreateTopics',
      'DeleteTopics',
      'InitProducerId',
    ];
    const dirs: Record<string, string> = { GroupCoordinator: 'findCoordinator' };
    const negotiable = used.map((api) => {
      const dir = dirs[api] ?? api.charAt(0).toLowerCase() + api.slice(1);
      const clientVersions: number[] = loadKafkajsInternal(`kafkajs/src/protocol/requests/${dir}`).versions.map(Number);
      const apiKey = apiKeys[api];
      if (apiKey === undefined) throw new Error(`kafkajs has no API key for ${api}`);
      const range = versions.get(apiKey);
      return { api, ok: range !== undefined && clientVersions.some((v) => v >= range.min && v <= range.max) };
    });
    expect(negotiable).toEqual(used.map((api) => ({ api, ok: true })));

    // Kafka 4.0 (KIP-896) removed the oldest versions of these; a 3.x broker such as the
    // 3.9 of kafka.sh still accepts v0, i.e. every version kafkajs 2.2.4 may pick.
    const oldest = [0 /* Produce */, 1 /* Fetch */, 8 /* OffsetCommit */].map((apiKey) => ({
      apiKey,
      min: versions.get(apiKey)?.min,
    }));
    expect(oldest).toEqual([
      { apiKey: 0, min: 0 },
      { apiKey: 1, min: 0 },
      { apiKey: 8, min: 0 },
    ]);
  });

  it('describes a cluster reachable at the configured address', async () => {
    const brokers = brokersFromEnv();
    const admin = await connected(client().admin());
    const cluster = await admin.describeCluster();
    expect(cluster.clusterId).toEqual(expect.any(String));
    expect(cluster.clusterId.length).toBeGreaterThan(0);
    expect(cluster.controller).not.toBeNull();

    const bootstrap = splitHostPort(brokers[0]);
    if (isLoopback(bootstrap.host)) {
      // The single-node KRaft broker of infra/kafka/kafka.sh.
      expect(cluster.brokers).toHaveLength(1);
      expect(cluster.brokers[0]).toMatchObject({ host: '127.0.0.1', port: bootstrap.port });
    } else {
      expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('round-trips key, value and string + binary headers through a real topic', async () => {
    const topic = `zt-infra-spec-${Date.now()}-${randomUUID().slice(0, 8)}`;
    const groupId = `zt-infra-spec-${randomUUID()}`;
    const key = `acct-${randomUUID()}`;
    const value = JSON.stringify({ type: 'PaymentInitiated', amount: '12.34', currency: 'EUR', note: 'Grüße €' });
    const traceId = randomUUID();
    // Not valid UTF-8 on purpose: must come back byte for byte, not via a string.
    const signature = Buffer.from([0x00, 0xff, 0x10, 0x80, 0xc3, 0x28, 0x7f, 0xfe]);

    const admin = await connected(client().admin());
    cleanup.push(
      (a) => a.deleteGroups([groupId]),
      (a) => a.deleteTopics({ topics: [topic] }),
    );
    expect(
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }),
    ).toBe(true);
    expect(await admin.listTopics()).toContain(topic);

    const producer = await connected(client().producer({ createPartitioner: Partitioners.DefaultPartitioner }));
    const [sent] = await producer.send({
      topic,
      acks: -1,
      messages: [{ key, value, headers: { 'x-trace-id': traceId, 'x-signature': signature } }],
    });
    expect(sent).toMatchObject({ topicName: topic, partition: 0, errorCode: 0 });

    const consumer = await connected(client().consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 }));
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = await new Promise<EachMessagePayload>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message consumed from ${topic} within 30s`)), 30_000);
      consumer
        .run({
          eachMessage: async (payload) => {
            clearTimeout(timer);
            resolve(payload);
          },
        })
        .catch((err) => {
          clearTimeout(timer);
          reject(err);
        });
    });
    await consumer.stop();

    expect(received.topic).toBe(topic);
    expect(received.partition).toBe(0);
    const { message } = received;
    expect(message.offset).toBe(sent?.baseOffset);
    expect(message.key?.toString('utf8')).toBe(key);
    expect(message.value?.toString('utf8')).toBe(value);
    expect(JSON.parse(String(message.value))).toMatchObject({ note: 'Grüße €' });

    const headers = message.headers ?? {};
    expect(Object.keys(headers).sort()).toEqual(['x-signature', 'x-trace-id']);
    expect(Buffer.isBuffer(headers['x-trace-id'])).toBe(true);
    expect(Buffer.isBuffer(headers['x-signature'])).toBe(true);
    expect((headers['x-trace-id'] as Buffer).toString('utf8')).toBe(traceId);
    expect((headers['x-signature'] as Buffer).toString('hex')).toBe(signature.toString('hex'));
  });
});
