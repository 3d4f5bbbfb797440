import type { ConnectionOptions } from 'node:tls';
import { Logger } from '@nestjs/common';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { describeKafkaError, isTransientKafkaError } from './transient-kafka-error';
import { TopicsNotReadyError } from './topics-not-ready.error';

export interface EnsureTopicsOptions {
  /** How long to keep retrying a transient failure before start-up fails (default 60 s). */
  timeoutMs?: number;
  /** Pause between two attempts (default 500 ms). */
  retryDelayMs?: number;
  logger?: Pick<Logger, 'warn'>;
  /** kafkajs TLS options (the app's workload certificate and the platform CA), see kafkaSsl. */
  ssl?: ConnectionOptions;
}

/**
 * Creates the topics a consumer subscribes to when they do not exist yet, and returns only once
 * the broker reports a leader for every partition of each of them.
 *
 * Why not kafkajs' own `createTopics({ waitForLeaders: true })`: its wait retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION ("This server does
 * not host this topic-partition") for a topic its controller has created and the broker has not
 * replayed into its metadata cache yet (an admin client's metadata request never auto-creates).
 * On a busy machine that gap is long enough to hit, and the error used to stop the service at
 * start-up, before the consumer's own retry (startMicroservices) was ever reached.
 *
 * Every transient failure (broker still starting, metadata not caught up, no leader yet) is
 * retried until `timeoutMs`, with one warning per retry naming the cause; a non-retriable one
 * (an invalid topic name, no authorisation) fails at once. Behind a broker with ACLs the platform
 * admin has created the platform's topics already (infra/kafka/acls.json) and a service holds no
 * CREATE: a topic missing there fails here with TOPIC_AUTHORIZATION_FAILED, naming the topic.
 */
export async function ensureTopics(
  brokers: string[],
  topics: string[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  if (topics.length === 0) return;
  const { timeoutMs = 60_000, retryDelayMs = 500 } = options;
  const logger = options.logger ?? new Logger('Kafka');
  // No retries inside kafkajs: this loop does them all, so each one is logged with its cause.
  const admin = new Kafka({
    clientId: 'topic-setup',
    brokers,
    ssl: options.ssl,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  const deadline = Date.now() + timeoutMs;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.connect();
        await createMissing(admin, topics);
        await waitForLeaders(admin, topics);
        return;
      } catch (error) {
        if (!isTransientKafkaError(error)) throw error;
        if (Date.now() + retryDelayMs > deadline) {
          throw new TopicsNotReadyError(
            topics,
            `still failing after ${timeoutMs} ms: ${describeKafkaError(error)}`,
            error,
          );
        }
        logger.warn(
          `topics ${topics.join(', ')} not ready (${describeKafkaError(error)}); retry ${attempt} in ${retryDelayMs} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function createMissing(admin: Admin, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  // A topic another service created meanwhile is fine: kafkajs resolves on TOPIC_ALREADY_EXISTS.
  if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: false });
}

/** Asks for the topics' metadata (throws UNKNOWN_TOPIC_OR_PARTITION until the broker knows them) and checks every leader. */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
  const notReady = topics.filter((topic) => {
    const partitions = metadata.find((entry) => entry.name === topic)?.partitions ?? [];
    return partitions.length === 0 || partitions.some((partition) => partition.leader < 0);
  });
  if (notReady.length) throw new TopicsNotReadyError(notReady, 'no partition leader known yet');
}
