import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminProfilesController } from './admin-profiles.controller';
import { DevelopmentSeedService } from './development-seed.service';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';
import { UserProfile } from './user-profile.entity';

@Module({
  imports: [TypeOrmModule.forFeature([UserProfile])],
  controllers: [ProfilesController, AdminProfilesController],
  providers: [ProfilesService, DevelopmentSeedService],
})
export class ProfilesModule {}
