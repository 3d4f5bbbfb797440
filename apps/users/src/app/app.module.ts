import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { SecurityModule } from '@zt/security';
import { usersDatabase } from '../database/users-database';
import { ProfilesModule } from '../profiles/profiles.module';

@Module({
  imports: [
    PlatformModule.forService({ name: 'users', defaultPort: 3001, database: usersDatabase }),
    SecurityModule.forRoot(),
    ProfilesModule,
  ],
})
export class AppModule {}
