/**
 * Kafka topics a consumer needs are not usable yet: missing from the broker's metadata or without
 * a partition leader. Transient while a broker settles (`retriable`), so ensureTopics waits and
 * retries; after its deadline the same error stops start-up, naming the topics and the last cause.
 */
export class TopicsNotReadyError extends Error {
  readonly code = 'ERR_KAFKA_TOPICS_NOT_READY';
  readonly retriable = true;

  constructor(
    readonly topics: string[],
    problem: string,
    cause?: unknown,
  ) {
    super(`Kafka topics ${topics.join(', ')}: ${problem}`, { cause });
    this.name = 'TopicsNotReadyError';
  }
}
