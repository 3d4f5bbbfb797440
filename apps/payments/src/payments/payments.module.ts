import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PAYMENTS_SERVICE_CLIENT_ID } from '@zt/contracts';
import { KafkaProducerService } from '@zt/platform';
import { serviceTokenClientProvider } from '@zt/security';
import { loadPaymentsConfig, PAYMENTS_CONFIG } from '../config/payments-config';
import { OutboxEvent } from '../outbox/outbox-event.entity';
import { OutboxMetrics } from '../outbox/outbox-metrics';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { SettlementMetrics } from '../settlement/settlement-metrics';
import { SettlementResultConsumer } from '../settlement/settlement-result.consumer';
import { EventTokenIssuer } from './event-token.issuer';
import { Payment } from './payment.entity';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { SourceAccountChecker } from './source-account.checker';

@Module({
  imports: [TypeOrmModule.forFeature([Payment, OutboxEvent])],
  controllers: [PaymentsController, SettlementResultConsumer],
  providers: [
    PaymentsService,
    SourceAccountChecker,
    EventTokenIssuer,
    OutboxRelayService,
    OutboxMetrics,
    SettlementMetrics,
    KafkaProducerService,
    serviceTokenClientProvider({
      clientId: PAYMENTS_SERVICE_CLIENT_ID,
      clientSecret: 'dev-secret-payments-service-change-me',
    }),
    // Read while the module is built, so a bad ACCOUNTS_API_URL stops start-up with one line.
    { provide: PAYMENTS_CONFIG, useValue: loadPaymentsConfig(process.env) },
  ],
})
export class PaymentsModule {}
