import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { developmentSeed } from '@zt/platform';
import { AdminProfilesController } from './admin-profiles.controller';
import { DEVELOPMENT_PROFILES } from './development-users';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';
import { UserProfile } from './user-profile.entity';

@Module({
  imports: [TypeOrmModule.forFeature([UserProfile])],
  controllers: [ProfilesController, AdminProfilesController],
  providers: [ProfilesService, developmentSeed(UserProfile, DEVELOPMENT_PROFILES, 'profiles')],
})
export class ProfilesModule {}
