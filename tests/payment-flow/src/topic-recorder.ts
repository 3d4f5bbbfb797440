// The test broker's client settings (mutual TLS as the platform admin); not in the testing barrel.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { testKafkaConfig } from '../../../libs/platform/src/testing/test-kafka';
import { Consumer, Kafka, KafkaMessage, logLevel, Producer } from 'kafkajs';

export interface Recorded {
  topic: string;
  message: KafkaMessage;
}

/** Reads the topics a test cares about from the beginning, and can publish raw messages (to replay or tamper). */
export class TopicRecorder {
  readonly seen: Recorded[] = [];
  private consumer!: Consumer;
  private producer!: Producer;

  static async start(topics: string[]): Promise<TopicRecorder> {
    const recorder = new TopicRecorder();
    const kafka = new Kafka({
      clientId: 'flow-test',
      ...testKafkaConfig(),
      logLevel: logLevel.NOTHING,
    });
    recorder.producer = kafka.producer({ allowAutoTopicCreation: true });
    await recorder.producer.connect();
    // Create the topics first so the recorder's group is assigned every one of them at once.
    await recorder.producer.send({ topic: '__flow-test-warmup', messages: [{ value: 'x' }] });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    await admin.disconnect();
    recorder.consumer = kafka.consumer({ groupId: `flow-recorder-${Date.now()}`, sessionTimeout: 10_000 });
    await recorder.consumer.connect();
    await recorder.consumer.subscribe({ topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) =>
      recorder.consumer.on(recorder.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await recorder.consumer.run({
      eachMessage: async ({ topic, message }) => void recorder.seen.push({ topic, message }),
    });
    await joined;
    return recorder;
  }

  on(topic: string, key?: string): Recorded[] {
    return this.seen.filter((r) => r.topic === topic && (key === undefined || r.message.key?.toString() === key));
  }

  async publish(
    topic: string,
    message: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | string> },
  ): Promise<void> {
    await this.producer.send({ topic, messages: [message] });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}

export function headerText(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString() : String(value);
}

/** The first record of a wait or a look-up: fails naming what is missing, not with a TypeError on `undefined`. */
export function first(records: readonly Recorded[], what: string): Recorded {
  const [record] = records;
  if (record === undefined) throw new Error(`nothing recorded on ${what}`);
  return record;
}
