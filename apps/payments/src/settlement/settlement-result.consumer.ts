import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectRepository } from '@nestjs/typeorm';
import {
  ACCOUNTS_SERVICE_CLIENT_ID,
  type PaymentSettlementEvent,
  PaymentTopics,
  SETTLEMENT_EVENT_SCOPE,
} from '@zt/contracts';
import {
  ErrorCode,
  EventPrincipal,
  EventRejectedError,
  type Principal,
  Scopes,
  SecureEventPattern,
} from '@zt/security';
import { Repository } from 'typeorm';
import { Payment } from '../payments/payment.entity';
import { PaymentStatus } from '../payments/payment-status';
import { PaymentsService } from '../payments/payments.service';
import { SettlementMetrics } from './settlement-metrics';

/** The result must be the one its token was issued for: this payment (`transaction_id`) and this event. */
const RESULT_BINDINGS = { transaction_id: 'paymentId', event_id: 'eventId' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `payments.settled` / `payments.rejected` from accounts -> the payment's final state. Before this
 * runs, the guard has verified the result's own event token (audience `payments-api`, scope
 * `payments:settle`), that accounts exchanged it (`act.sub`: no other service, and no service's
 * reusable token, can report a result), and that it is bound to this very result: its event id, the
 * digest of its bytes and its payment (`transaction_id`). Here the token's `sub` must own that payment.
 * Anything else goes to `<topic>.dlq` and changes nothing. Only an approved payment moves on, so the
 * same result delivered again (Kafka redelivery, or accounts re-announcing it) is processed once.
 */
@Controller()
export class SettlementResultConsumer {
  private readonly logger = new Logger(SettlementResultConsumer.name);

  constructor(
    private readonly payments: PaymentsService,
    @InjectRepository(Payment) private readonly paymentRows: Repository<Payment>,
    private readonly metrics: SettlementMetrics,
  ) {}

  @SecureEventPattern(PaymentTopics.SETTLED, RESULT_BINDINGS, { actors: [ACCOUNTS_SERVICE_CLIENT_ID] })
  @Scopes(SETTLEMENT_EVENT_SCOPE)
  onSettled(@Payload() event: PaymentSettlementEvent, @EventPrincipal() principal: Principal): Promise<void> {
    return this.record(event, 'settled', principal);
  }

  @SecureEventPattern(PaymentTopics.REJECTED, RESULT_BINDINGS, { actors: [ACCOUNTS_SERVICE_CLIENT_ID] })
  @Scopes(SETTLEMENT_EVENT_SCOPE)
  onRejected(@Payload() event: PaymentSettlementEvent, @EventPrincipal() principal: Principal): Promise<void> {
    return this.record(event, 'rejected', principal);
  }

  private async record(
    event: PaymentSettlementEvent,
    outcome: PaymentSettlementEvent['outcome'],
    principal: Principal,
  ): Promise<void> {
    // Permanent faults of the event itself: dead-lettered (retrying never helps), never half-applied.
    if (event.outcome !== outcome)
      refuse(`outcome ${String(event.outcome)} does not match topic of outcome ${outcome}`);
    if (!UUID.test(event.paymentId)) refuse('payload.paymentId does not match a payment id');
    const payment = await this.paymentRows.findOneBy({ id: event.paymentId });
    if (!payment || payment.ownerSub !== principal.sub) refuse("claim sub does not match the payment's owner");
    const approvedAt = payment.status === PaymentStatus.Approved ? payment.updatedAt : undefined;
    const changed = await this.payments.recordSettlement(event);
    // The payment's last change before its result was its approval: the wait the user sees.
    if (changed && outcome === 'settled' && approvedAt) this.metrics.settled(approvedAt);
    this.logger.log(
      `payment ${event.paymentId} ${outcome}${changed ? '' : ' (already final: ignored)'} by ${principal.actor} jti=${principal.jti ?? '-'}`,
    );
  }
}

function refuse(why: string): never {
  throw new EventRejectedError(ErrorCode.EVENT_BINDING_MISMATCH, why);
}
