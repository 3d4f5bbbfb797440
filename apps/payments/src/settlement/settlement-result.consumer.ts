import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type PaymentSettlementEvent, PaymentTopics, SETTLEMENT_EVENT_SCOPE } from '@zt/contracts';
import { EventPrincipal, type Principal, Scopes, SecureEventPattern } from '@zt/security';
import { PaymentsService } from '../payments/payments.service';

/**
 * `payments.settled` / `payments.rejected` from accounts -> the payment's final state. The token
 * must be the accounts service's own (scope `payments:settle`, audience `payments-api`); a result
 * for a payment that is not approved changes nothing, so a replayed result is harmless.
 */
@Controller()
export class SettlementResultConsumer {
  private readonly logger = new Logger(SettlementResultConsumer.name);

  constructor(private readonly payments: PaymentsService) {}

  @SecureEventPattern(PaymentTopics.SETTLED)
  @Scopes(SETTLEMENT_EVENT_SCOPE)
  onSettled(@Payload() event: PaymentSettlementEvent, @EventPrincipal() principal: Principal): Promise<void> {
    return this.record(event, 'settled', principal);
  }

  @SecureEventPattern(PaymentTopics.REJECTED)
  @Scopes(SETTLEMENT_EVENT_SCOPE)
  onRejected(@Payload() event: PaymentSettlementEvent, @EventPrincipal() principal: Principal): Promise<void> {
    return this.record(event, 'rejected', principal);
  }

  private async record(event: PaymentSettlementEvent, outcome: PaymentSettlementEvent['outcome'], principal: Principal): Promise<void> {
    if (event?.outcome !== outcome || typeof event.paymentId !== 'string' || !/^[0-9a-f-]{36}$/i.test(event.paymentId)) {
      this.logger.warn(`ignored a malformed ${outcome} event from client ${principal.clientId}`);
      return;
    }
    const changed = await this.payments.recordSettlement(event);
    this.logger.log(`payment ${event.paymentId} ${outcome}${changed ? '' : ' (already final: ignored)'} by ${principal.clientId}`);
  }
}
