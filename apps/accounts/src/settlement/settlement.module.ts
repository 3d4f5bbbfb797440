import { Module } from '@nestjs/common';
import { ACCOUNTS_SERVICE_CLIENT_ID } from '@zt/contracts';
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
    // Token exchange only: each settlement result's token comes from the approved event it answers.
    serviceTokenClientProvider({
      clientId: ACCOUNTS_SERVICE_CLIENT_ID,
      clientSecret: 'dev-secret-accounts-service-change-me',
    }),
  ],
  exports: [SettlementService],
})
export class SettlementModule {}
