import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { usersDatabase } from '../database/users-database';

@Module({
  imports: [PlatformModule.forService({ name: 'users', defaultPort: 3001, database: usersDatabase })],
})
export class AppModule {}
