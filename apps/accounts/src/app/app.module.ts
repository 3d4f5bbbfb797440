import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { accountsDatabase } from '../database/accounts-database';

@Module({
  imports: [PlatformModule.forService({ name: 'accounts', defaultPort: 3002, database: accountsDatabase, kafka: true })],
})
export class AppModule {}
