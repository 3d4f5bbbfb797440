import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { KafkaEventDeserializer } from '@zt/security';
import { logLevel } from 'kafkajs';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { ensureTopics } from './ensure-topics';
import { kafkaSsl } from './kafka-ssl';

export interface KafkaConsumerOptions {
  /** Consumer group: every instance of one service shares it, so each event is handled once. */
  groupId: string;
  /** The topics its handlers consume, created at start-up when missing. */
  topics: string[];
}

/**
 * Connects the app's `@EventPattern` handlers to Kafka. `inheritAppConfig` stays false on
 * purpose: HTTP's global guards do not cover events, and each event handler carries its own
 * token guard (`@SecureEventPattern`), so a handler without one is visibly unprotected. An
 * unguarded handler never gets this far: SecurityModule refuses it while NestFactory.create()
 * builds the module graph, before any consumer exists. That matters because NestJS starts a
 * connected microservice in `startAllMicroservices()` WITHOUT running lifecycle hooks, so a check
 * in onModuleInit would run only after the first events had been handled.
 * Offsets are committed by kafkajs after a handler's promise resolves, i.e. after its database
 * transaction committed; a handler that throws has its event redelivered.
 */
export async function connectKafkaConsumer(app: INestApplication, options: KafkaConsumerOptions): Promise<void> {
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  const ssl = kafkaSsl(config.tls);
  await ensureTopics(config.kafkaBrokers ?? [], options.topics, { ssl });
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.KAFKA,
      options: {
        postfixId: '',
        client: {
          clientId: `${config.service}-consumer`,
          brokers: config.kafkaBrokers ?? [],
          ssl,
          logLevel: logLevel.ERROR,
        },
        consumer: {
          groupId: options.groupId,
          allowAutoTopicCreation: true,
          sessionTimeout: 30_000,
          heartbeatInterval: 3_000,
        },
        subscribe: { fromBeginning: true },
        // The value stays bytes until KafkaEventDeserializer has checked its shape (JSON_MAX_*):
        // an over-limit event is dead-lettered by the handler's guard, never parsed, and the
        // consumer moves on. The guard's digest and the dead-letter record get the exact bytes.
        parser: { keepBinary: true },
        deserializer: new KafkaEventDeserializer(config.jsonLimits),
        producer: { allowAutoTopicCreation: true, idempotent: true, maxInFlightRequests: 1 },
      },
    },
    { inheritAppConfig: false },
  );
}
