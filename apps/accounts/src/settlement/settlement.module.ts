import { Module } from '@nestjs/common';
import { KafkaProducerService } from '@zt/platform';
import { serviceTokenClientProvider } from '@zt/security';
import { PaymentApprovedConsumer } from './payment-approved.consumer';
import { SettlementResultPublisher } from './settlement-result.publisher';
import { SettlementService } from './settlement.service';

@Module({
  controllers: [PaymentApprovedConsumer],
  providers: [
    SettlementService,
    SettlementResultPublisher,
    KafkaProducerService,
    serviceTokenClientProvider({ clientId: 'accounts-service', clientSecret: 'dev-secret-accounts-service-change-me' }),
  ],
  exports: [SettlementService],
})
export class SettlementModule {}
