import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList } from 'typeorm';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { ensureDatabase } from './ensure-database';
import { RedactingDatabaseLogger } from './redacting-database.logger';

export interface DatabaseSpec {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * PostgreSQL through TypeORM. The schema only ever changes through migrations, run at
 * start-up (or by `npm run migrate`); `synchronize` stays off so no start-up can drop data.
 */
@Module({})
export class DatabaseModule {
  static forService(spec: DatabaseSpec): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PLATFORM_CONFIG],
          useFactory: async (config: PlatformConfig) => {
            await ensureDatabase(config.databaseUrl!);
            return {
              type: 'postgres' as const,
              url: config.databaseUrl,
              entities: spec.entities,
              migrations: spec.migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              // Failed statements are logged without their parameters (personal data).
              logging: ['error' as const, 'warn' as const],
              logger: new RedactingDatabaseLogger(),
              extra: { max: 10, connectionTimeoutMillis: 5000 },
              retryAttempts: 5,
              retryDelay: 1000,
            };
          },
        }),
      ],
    };
  }
}
