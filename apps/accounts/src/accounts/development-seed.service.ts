import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PLATFORM_CONFIG, type PlatformConfig } from '@zt/platform';
import { Repository } from 'typeorm';
import { Account } from './account.entity';
import { DEVELOPMENT_ACCOUNTS } from './development-accounts';

/** Opens the development users' accounts once; balances moved by payments are never reset. */
@Injectable()
export class DevelopmentSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DevelopmentSeedService.name);

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.production) return;
    await this.accounts.createQueryBuilder().insert().values(DEVELOPMENT_ACCOUNTS.map((a) => ({ ...a }))).orIgnore().execute();
    this.logger.log('development accounts ensured');
  }
}
