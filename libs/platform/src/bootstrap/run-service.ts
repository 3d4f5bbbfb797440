import { Logger as NestLogger, Module, Type } from '@nestjs/common';
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
import { DEFAULT_LISTENER_KIND, ListenerKind } from '../tls/listener-kind';
import { attachServiceTls, describeServiceTls, openServiceTls } from '../tls/service-tls';
import { TlsMaterialModule } from '../tls/tls-material.module';
import { serverTlsOptions } from '../tls/tls-options';
import { registerRequestMetrics } from '../metrics/request-metrics.hook';
import { serviceMetrics } from '../metrics/service-metrics';

export interface RunServiceOptions {
  name: string;
  title: string;
  /** Loads the root module lazily, so configuration errors thrown while it is built are caught here. */
  loadModule: () => Promise<Type<unknown>>;
  /** Largest accepted request body in bytes (default 100 KiB). */
  bodyLimit?: number;
  /** Consume Kafka events with this app's `@EventPattern` handlers. */
  kafkaConsumer?: KafkaConsumerOptions;
  /** Who may connect when TLS is on (default `internal`: platform workloads with a client certificate only). */
  listener?: ListenerKind;
  /**
   * Serve the platform's `GET /metrics` (METRICS_ALLOWED_IPS) and count requests. Default: yes,
   * unless the app declares a `/metrics` controller of its own (the gateway).
   */
  metricsRoute?: boolean;
}

/** The entry module: the app's own, plus what the platform made before it (its TLS material). */
@Module({})
class ServiceRootModule {}

/** Creates the app on Fastify with the platform's defaults, listens, and never dies noisily on bad config. */
export async function createService(options: RunServiceOptions): Promise<NestFastifyApplication> {
  const module = await options.loadModule();
  const kind = options.listener ?? DEFAULT_LISTENER_KIND;
  // Read from the environment now, not from the module's PlatformConfig: the listener's options are
  // needed before the app exists, and a test may start the same module again with other files.
  const tls = openServiceTls(process.env);
  const material = tls.current();
  const https = material ? serverTlsOptions(material.pem, kind) : undefined;
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 100 * 1024,
    routerOptions: { maxParamLength: 200 },
    requestIdHeader: false,
    frameworkErrors: renderFrameworkError,
    ...(https ? { https } : {}),
  });
  const metrics = serviceMetrics(module, process.env, options.metricsRoute);
  const entry = { module: ServiceRootModule, imports: [module, TlsMaterialModule.forService(tls), metrics.module] };
  const app = await NestFactory.create<NestFastifyApplication>(entry, adapter, {
    bufferLogs: true,
    // A provider that throws while the app is built (a configuration error) would otherwise be
    // printed by Nest's ExceptionHandler with its stack before our one line: the buffered logs
    // are flushed only once the app exists, and a failed start prints only that line.
    autoFlushLogs: false,
    abortOnError: false,
    // Fastify made the server from the adapter's options; Nest reads these only to know the
    // scheme (`app.getUrl()` answers https://... when TLS is on).
    ...(material ? { httpsOptions: { cert: material.pem.cert, key: material.pem.key } } : {}),
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const detachTls = attachServiceTls(adapter.getInstance(), tls, kind);
  adapter.getInstance().addHook('onClose', detachTls);
  if (metrics.served) registerRequestMetrics(adapter.getInstance(), metrics.metrics);
  const tlsState = describeServiceTls(tls, kind);
  if (tlsState.warn) new NestLogger('Tls').warn(tlsState.line);
  else new NestLogger('Tls').log(tlsState.line);
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
    const scheme = config.tls ? 'https' : 'http';
    app.get(Logger).log(`${options.name} listening on ${scheme}://${config.host}:${config.port}`);
  } catch (error) {
    process.stderr.write(`${options.name}: ${describeStartupFailure(error)}\n`);
    process.exit(1);
  }
}
