import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { developmentSeed } from '@zt/platform';
import { Account } from './account.entity';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { DEVELOPMENT_ACCOUNTS } from './development-accounts';

@Module({
  imports: [TypeOrmModule.forFeature([Account])],
  controllers: [AccountsController],
  providers: [AccountsService, developmentSeed(Account, DEVELOPMENT_ACCOUNTS, 'accounts')],
})
export class AccountsModule {}
