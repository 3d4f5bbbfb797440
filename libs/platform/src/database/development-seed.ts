import { Inject, Injectable, Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { PlatformConfig } from '../config/platform-config';
import { PLATFORM_CONFIG } from '../config/platform-config.token';

/**
 * A provider that inserts development rows (test users' profiles, their accounts) at start-up only
 * when development is chosen explicitly (NODE_ENV `development` or `test`); in production mode,
 * NODE_ENV unset included, nothing is inserted. Existing rows are left alone (INSERT ... ON CONFLICT DO NOTHING), so what
 * the demo changed, such as balances moved by payments, survives a restart.
 */
export function developmentSeed<T extends ObjectLiteral>(
  entity: EntityTarget<T>,
  rows: readonly T[] | readonly Partial<T>[],
  what: string,
): Type<OnApplicationBootstrap> {
  @Injectable()
  class DevelopmentSeed implements OnApplicationBootstrap {
    private readonly logger = new Logger('DevelopmentSeed');

    constructor(
      @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
      @InjectDataSource() private readonly db: DataSource,
    ) {}

    async onApplicationBootstrap(): Promise<void> {
      if (this.config.mode === 'production') return;
      const values = rows.map((row) => ({ ...row })) as T[];
      const result = await this.db
        .getRepository(entity)
        .createQueryBuilder()
        .insert()
        .values(values)
        .orIgnore()
        .execute();
      this.logger.log(`development ${what} ensured (${result.identifiers.filter(Boolean).length} new)`);
    }
  }
  return DevelopmentSeed;
}
