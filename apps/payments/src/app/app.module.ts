import { Module } from '@nestjs/common';
import { PlatformModule } from '@zt/platform';
import { SecurityModule } from '@zt/security';
import { paymentsDatabase } from '../database/payments-database';
import { PaymentsModule } from '../payments/payments.module';

@Module({
  imports: [
    PlatformModule.forService({ name: 'payments', defaultPort: 3003, database: paymentsDatabase, kafka: true }),
    SecurityModule.forRoot(),
    PaymentsModule,
  ],
})
export class AppModule {}
