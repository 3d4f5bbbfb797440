import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PLATFORM_CONFIG, type PlatformConfig } from '@zt/platform';
import { Repository } from 'typeorm';
import { DEVELOPMENT_PROFILES } from './development-users';
import { UserProfile } from './user-profile.entity';

/** Gives the development users a profile at start-up (only missing ones: edits survive a restart). */
@Injectable()
export class DevelopmentSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DevelopmentSeedService.name);

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @InjectRepository(UserProfile) private readonly profiles: Repository<UserProfile>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.production) return;
    const result = await this.profiles
      .createQueryBuilder()
      .insert()
      .values(DEVELOPMENT_PROFILES.map((p) => ({ ...p })))
      .orIgnore()
      .execute();
    this.logger.log(`development profiles ensured (${result.identifiers.filter(Boolean).length} new)`);
  }
}
