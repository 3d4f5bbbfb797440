import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { DatabaseErrorFilter } from '../http/database-error.filter';
import { renderFrameworkError } from '../http/framework-errors';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { registerJsonBodyParser } from '../http/json-body-parser';
import { PlatformValidationPipe } from '../validation/platform-validation.pipe';
import { connectKafkaConsumer, KafkaConsumerOptions } from '../kafka/connect-kafka-consumer';
import { startMicroservices } from '../kafka/start-microservices';
import { describeStartupFailure } from './startup-failure';
import { setupOpenApi } from './setup-open-api';

export interface RunServiceOptions {
  name: string;
  title: string;
  /** Loads the root module lazily, so configuration errors thrown while it is built are caught here. */
  loadModule: () => Promise<Type<unknown>>;
  /** Largest accepted request body in bytes (default 100 KiB). */
  bodyLimit?: number;
  /** Consume Kafka events with this app's `@EventPattern` handlers. */
  kafkaConsumer?: KafkaConsumerOptions;
}

/** Creates the app on Fastify with the platform's defaults, listens, and never dies noisily on bad config. */
export async function createService(options: RunServiceOptions): Promise<NestFastifyApplication> {
  const module = await options.loadModule();
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 100 * 1024,
    routerOptions: { maxParamLength: 200 },
    requestIdHeader: false,
    frameworkErrors: renderFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    // A provider that throws while the app is built (a configuration error) would otherwise be
    // printed by Nest's ExceptionHandler with its stack before our one line: the buffered logs
    // are flushed only once the app exists, and a failed start prints only that line.
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  // Nest's body parsers now, so init() keeps them; then JSON bodies go through the shape limits.
  adapter.registerParserMiddleware();
  registerJsonBodyParser(adapter.getInstance(), app.get<PlatformConfig>(PLATFORM_CONFIG).jsonLimits);
  app.useGlobalPipes(new PlatformValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(), new DatabaseErrorFilter(app.getHttpAdapter()));
  app.enableShutdownHooks();
  setupOpenApi(app, options.title);
  if (options.kafkaConsumer) await connectKafkaConsumer(app, options.kafkaConsumer);
  return app;
}

export async function runService(options: RunServiceOptions): Promise<void> {
  try {
    const app = await createService(options);
    const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
    await startMicroservices(app);
    await app.listen(config.port, config.host);
    app.get(Logger).log(`${options.name} listening on http://${config.host}:${config.port}`);
  } catch (error) {
    process.stderr.write(`${options.name}: ${describeStartupFailure(error)}\n`);
    process.exit(1);
  }
}
