import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList } from 'typeorm';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';
import { databaseConnectionOptions } from './database-connection-options';
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
 * Connections use TLS as DATABASE_URL says (sslmode=verify-full), with the app's workload
 * certificate and the platform CA unless the URL names its own files (see
 * databaseConnectionOptions); the URL itself is not given to TypeORM, which drops its parameters.
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
            const databaseUrl = config.databaseUrl;
            if (!databaseUrl) throw new Error('DatabaseModule needs DATABASE_URL (a ServiceSpec with database: true)');
            const tls = { tls: config.tls, production: config.production };
            await ensureDatabase(databaseUrl, tls);
            const { user, ...connection } = databaseConnectionOptions(databaseUrl, tls);
            return {
              type: 'postgres' as const,
              ...connection,
              username: user,
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
