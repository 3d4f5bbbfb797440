import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, logLevel, Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { kafkaSsl } from './kafka-ssl';

/**
 * One idempotent kafkajs producer per process (the broker drops duplicates a producer retry
 * would create), connected on first use and closed at shutdown.
 */
@Injectable()
export class KafkaProducerService implements OnApplicationShutdown {
  private producer?: Producer;
  private connecting?: Promise<void>;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {}

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const producer = await this.connected();
    return producer.send(record);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      const kafka = new Kafka({
        clientId: `${this.config.service}-producer`,
        brokers: this.config.kafkaBrokers ?? [],
        ssl: kafkaSsl(this.config.tls),
        logLevel: logLevel.ERROR,
        retry: { retries: 3 },
      });
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
      this.connecting = this.producer.connect().catch((error) => {
        this.producer = undefined;
        throw error;
      });
    }
    await this.connecting;
    return this.producer!;
  }
}
