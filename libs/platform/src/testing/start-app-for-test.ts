import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createService } from '../bootstrap/run-service';
import { KafkaConsumerOptions } from '../kafka/connect-kafka-consumer';
import { startMicroservices } from '../kafka/start-microservices';
import type { ListenerKind } from '../tls/listener-kind';

/**
 * Boots an app the way `runService` does (Fastify, validation, logger), on no port:
 * tests call it with `app.inject`. The environment is applied before the module is
 * loaded, because the platform validates configuration while the module is built, and
 * restored afterwards so one test file cannot leak settings into another.
 */
export async function startAppForTest(options: {
  name: string;
  loadModule: () => Promise<Type<unknown>>;
  env: Record<string, string | undefined>;
  kafkaConsumer?: KafkaConsumerOptions;
  /** The listener kind as main.ts sets it (matters only with TLS_* files in `env`). */
  listener?: ListenerKind;
}): Promise<NestFastifyApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, { LOG_LEVEL: 'silent', ...options.env });
  try {
    const app = await createService({
      name: options.name,
      title: options.name,
      loadModule: options.loadModule,
      kafkaConsumer: options.kafkaConsumer,
      listener: options.listener,
    });
    await startMicroservices(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } finally {
    process.env = saved;
  }
}
