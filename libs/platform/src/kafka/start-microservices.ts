import { INestApplication, Logger } from '@nestjs/common';
import { describeKafkaError } from './transient-kafka-error';

/**
 * Starts the app's Kafka consumer, retrying a few times: a broker that has just started (a fresh
 * demo, a CI run) can answer the first subscription with a transient "does not host this
 * topic-partition" or "coordinator is loading" while its internal topics settle. Each attempt
 * closes what the previous one opened (Nest's Kafka server builds a new client on every listen).
 * The topics themselves are created and waited for before this, by ensureTopics (its own retries).
 */
export async function startMicroservices(app: INestApplication, attempts = 6, delayMs = 2000): Promise<void> {
  const logger = new Logger('Kafka');
  for (let attempt = 1; ; attempt++) {
    try {
      await app.startAllMicroservices();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      logger.warn(
        `consumer start failed (${describeKafkaError(error)}); retry ${attempt}/${attempts - 1} in ${delayMs} ms`,
      );
      await Promise.all(app.getMicroservices().map((m) => m.close().catch(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
