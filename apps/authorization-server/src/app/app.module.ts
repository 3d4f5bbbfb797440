import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { authorizationServerDatabase } from '../database/authorization-server-database';

@Module({
  imports: [
    PlatformModule.forService({ name: 'authorization-server', defaultPort: 4000, database: authorizationServerDatabase }),
  ],
})
export class AppModule {}
