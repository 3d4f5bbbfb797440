import { ensureTopics } from './ensure-topics';
import { TopicsNotReadyError } from './topics-not-ready.error';

// The broker answers as a KRaft broker does right after CreateTopics: it does not know the topic
// yet, then knows it without a leader, then with one. Real kafkajs error objects are used.
const { createErrorFromCode } = jest.requireActual('kafkajs/src/protocol/error') as {
  createErrorFromCode: (code: number) => Error;
};
const { KafkaJSProtocolError, KafkaJSNonRetriableError } = jest.requireActual('kafkajs') as typeof import('kafkajs');
const unknownTopic = () => new KafkaJSProtocolError(createErrorFromCode(3)); // UNKNOWN_TOPIC_OR_PARTITION
const invalidTopic = () => new KafkaJSProtocolError(createErrorFromCode(17)); // INVALID_TOPIC_EXCEPTION
/** What kafkajs' retrier throws when it gives up on an error: `new KafkaJSNonRetriableError(e, { cause: e })`. */
const bailed = (error: Error) => Object.assign(new KafkaJSNonRetriableError(error), { cause: error });

const admin = {
  connect: jest.fn(async () => undefined),
  disconnect: jest.fn(async () => undefined),
  listTopics: jest.fn(async (): Promise<string[]> => []),
  createTopics: jest.fn(async (_request: unknown) => true),
  fetchTopicMetadata: jest.fn(),
};
jest.mock('kafkajs', () => ({ ...jest.requireActual('kafkajs'), Kafka: jest.fn(() => ({ admin: () => admin })) }));

const metadata = (leader: number) => ({
  topics: [{ name: 'payments.approved', partitions: [{ partitionId: 0, leader }] }],
});

describe('ensureTopics', () => {
  const logger = { warn: jest.fn() };
  const fast = { logger, retryDelayMs: 1, timeoutMs: 5_000 };

  beforeEach(() => jest.clearAllMocks());

  it('waits until the broker knows the new topic and its leader, logging each retry with its cause', async () => {
    admin.fetchTopicMetadata
      .mockRejectedValueOnce(unknownTopic())
      .mockResolvedValueOnce(metadata(-1))
      .mockResolvedValueOnce(metadata(1));
    await ensureTopics(['127.0.0.1:9092'], ['payments.approved'], fast);
    expect(admin.createTopics).toHaveBeenCalledWith(
      expect.objectContaining({ topics: [{ topic: 'payments.approved' }] }),
    );
    expect(admin.fetchTopicMetadata).toHaveBeenCalledTimes(3);
    expect(logger.warn.mock.calls.map(([line]) => line)).toEqual([
      expect.stringContaining('UNKNOWN_TOPIC_OR_PARTITION: This server does not host this topic-partition'),
      expect.stringContaining('no partition leader known yet'),
    ]);
    expect(admin.disconnect).toHaveBeenCalled();
  });

  it('retries the same answer when kafkajs wrapped it as non-retriable', async () => {
    admin.fetchTopicMetadata.mockRejectedValueOnce(bailed(unknownTopic())).mockResolvedValueOnce(metadata(1));
    await ensureTopics(['127.0.0.1:9092'], ['payments.approved'], fast);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('creates only the missing topics', async () => {
    admin.listTopics.mockResolvedValueOnce(['payments.approved']);
    admin.fetchTopicMetadata.mockResolvedValue({
      topics: ['payments.approved', 'payments.settled'].map((name) => ({
        name,
        partitions: [{ partitionId: 0, leader: 1 }],
      })),
    });
    await ensureTopics(['127.0.0.1:9092'], ['payments.approved', 'payments.settled'], fast);
    expect(admin.createTopics).toHaveBeenCalledWith(
      expect.objectContaining({ topics: [{ topic: 'payments.settled' }] }),
    );
  });

  it('fails at once on an error that no wait can fix', async () => {
    admin.createTopics.mockRejectedValueOnce(invalidTopic());
    await expect(ensureTopics(['127.0.0.1:9092'], ['bad topic'], fast)).rejects.toThrow(invalidTopic().message);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('gives up at its deadline naming the topics and the last cause', async () => {
    admin.fetchTopicMetadata.mockRejectedValue(unknownTopic());
    const failure = ensureTopics(['127.0.0.1:9092'], ['payments.approved'], { logger, retryDelayMs: 5, timeoutMs: 30 });
    await expect(failure).rejects.toBeInstanceOf(TopicsNotReadyError);
    await expect(failure).rejects.toThrow(/payments\.approved: still failing after 30 ms: UNKNOWN_TOPIC_OR_PARTITION/);
    expect(admin.disconnect).toHaveBeenCalled();
  });
});
