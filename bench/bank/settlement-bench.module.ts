// The accounts settlement consumer twice over, for the benchmark: once behind the event token
// guard (@SecureEventPattern, exactly as apps/accounts runs it) and once with verification
// switched off (a plain @EventPattern). Both call the same SettlementService.
import { Controller, Module } from '@nestjs/common';
import { EventPattern, Payload, Transport } from '@nestjs/microservices';
import { APPROVED_EVENT_SCOPE, type PaymentApprovedEvent } from '@zt/contracts';
import { PlatformModule } from '@zt/platform';
import { Public, Scopes, SecureEventPattern, SecurityModule } from '@zt/security';
import { accountsDatabase } from '../../apps/accounts/src/database/accounts-database';
import { SettlementService } from '../../apps/accounts/src/settlement/settlement.service';

export const VERIFIED_TOPIC = 'bench.approved.verified';
export const UNVERIFIED_TOPIC = 'bench.approved.unverified';

@Controller()
class BenchSettlementConsumer {
  constructor(private readonly settlement: SettlementService) {}

  @SecureEventPattern(VERIFIED_TOPIC, { sub: 'userId', transaction_id: 'paymentId', event_id: 'eventId' })
  @Scopes(APPROVED_EVENT_SCOPE)
  async verified(@Payload() event: PaymentApprovedEvent): Promise<void> {
    await this.settlement.settle(event);
  }

  @EventPattern(UNVERIFIED_TOPIC, Transport.KAFKA)
  @Public() // the explicit opt-out the library demands for an unguarded handler
  async unverified(@Payload() event: PaymentApprovedEvent): Promise<void> {
    await this.settlement.settle(event);
  }
}

@Module({
  imports: [
    PlatformModule.forService({ name: 'accounts', defaultPort: 3002, database: accountsDatabase, kafka: true }),
    SecurityModule.forRoot(),
  ],
  controllers: [BenchSettlementConsumer],
  providers: [SettlementService],
})
export class SettlementBenchModule {}
