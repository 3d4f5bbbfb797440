import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { paymentsDatabase } from '../database/payments-database';

@Module({
  imports: [PlatformModule.forService({ name: 'payments', defaultPort: 3003, database: paymentsDatabase, kafka: true })],
})
export class AppModule {}
