import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadPaymentsConfig, PAYMENTS_CONFIG } from '../config/payments-config';
import { OutboxEvent } from '../outbox/outbox-event.entity';
import { Payment } from './payment.entity';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { SourceAccountChecker } from './source-account.checker';

@Module({
  imports: [TypeOrmModule.forFeature([Payment, OutboxEvent])],
  controllers: [PaymentsController],
  providers: [
    PaymentsService,
    SourceAccountChecker,
    // Read while the module is built, so a bad ACCOUNTS_API_URL stops start-up with one line.
    { provide: PAYMENTS_CONFIG, useValue: loadPaymentsConfig(process.env) },
  ],
})
export class PaymentsModule {}
