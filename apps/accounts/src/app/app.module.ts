import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { SecurityModule } from '@zt/security';
import { AccountsModule } from '../accounts/accounts.module';
import { accountsDatabase } from '../database/accounts-database';
import { SettlementModule } from '../settlement/settlement.module';

@Module({
  imports: [
    PlatformModule.forService({ name: 'accounts', defaultPort: 3002, database: accountsDatabase, kafka: true }),
    SecurityModule.forRoot(),
    AccountsModule,
    SettlementModule,
  ],
})
export class AppModule {}
