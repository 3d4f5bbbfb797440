import { Kafka, logLevel } from 'kafkajs';

/**
 * Creates the topics a consumer subscribes to when they do not exist yet. On a fresh broker a
 * subscription to a missing topic fails ("does not host this topic-partition") before the
 * broker's auto-creation catches up, which would stop the service at start-up.
 */
export async function ensureTopics(brokers: string[], topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = new Kafka({ clientId: 'topic-setup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
