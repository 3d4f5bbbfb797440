import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { loadPlatformConfig, ServiceSpec } from './config/platform-config';
import { PLATFORM_CONFIG } from './config/platform-config.token';
import { DatabaseModule, DatabaseSpec } from './database/database.module';
import { HealthModule } from './health/health.module';
import { loggerOptions } from './logging/logger-options';

export interface PlatformModuleOptions extends Omit<ServiceSpec, 'database'> {
  database?: DatabaseSpec;
  /**
   * One "request completed" log line per request (default true). An app that writes its own
   * access log for every request (the gateway's audit line) turns it off: one line, not two.
   */
  requestLog?: boolean;
}

/**
 * What every app of the platform has: validated configuration, JSON logs, its database
 * (migrated at start-up) and `GET /health` reporting the dependencies it really has.
 */
@Module({})
export class PlatformModule {
  static forService(options: PlatformModuleOptions): DynamicModule {
    const spec: ServiceSpec = { ...options, database: Boolean(options.database) };
    // Validated here, once, before any provider is built: bad configuration stops
    // start-up with one line naming the variable (see runService).
    const config = loadPlatformConfig(process.env, spec);
    const configProvider = { provide: PLATFORM_CONFIG, useValue: config };
    const configModule: DynamicModule = {
      module: class PlatformConfigModule {},
      global: true,
      providers: [configProvider],
      exports: [configProvider],
    };
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }),
        configModule,
        LoggerModule.forRoot(loggerOptions(config, { requestLog: options.requestLog ?? true })),
        ...(options.database ? [DatabaseModule.forService(options.database)] : []),
        HealthModule.forService({ kafka: Boolean(options.kafka) }),
      ],
      exports: [configModule],
    };
  }
}
