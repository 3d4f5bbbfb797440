import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, Payload } from '@nestjs/microservices';
import {
  APPROVED_EVENT_SCOPE,
  PAYMENTS_SERVICE_CLIENT_ID,
  type PaymentApprovedEvent,
  PaymentTopics,
} from '@zt/contracts';
import {
  ErrorCode,
  EventPrincipal,
  EventRejectedError,
  type Principal,
  readHeader,
  Scopes,
  SecureEventPattern,
} from '@zt/security';
import { SettlementResultPublisher } from './settlement-result.publisher';
import { SettlementService } from './settlement.service';

/** Life the event token must have left: enough to exchange it for the result's token afterwards. */
export const MIN_TOKEN_LIFE_SECONDS = 60;

/**
 * `payments.approved` -> money moves. Before this runs, the event's token has been verified with
 * the same rules as HTTP (audience `accounts-api`), must hold `payments:approve`, and is bound to
 * this very event: its `sub` is the payment's owner, its `transaction_id` the payment, its
 * `event_id`/`event_digest` this event, and the payments service exchanged it (its actor, `act.sub`):
 * no other service can make accounts move money. Anything else went to `payments.approved.dlq`.
 */
@Controller()
export class PaymentApprovedConsumer {
  private readonly logger = new Logger(PaymentApprovedConsumer.name);

  constructor(
    private readonly settlement: SettlementService,
    private readonly results: SettlementResultPublisher,
  ) {}

  @SecureEventPattern(
    PaymentTopics.APPROVED,
    { sub: 'userId', transaction_id: 'paymentId', event_id: 'eventId' },
    { actors: [PAYMENTS_SERVICE_CLIENT_ID] },
  )
  @Scopes(APPROVED_EVENT_SCOPE)
  async onApproved(
    @Payload() event: PaymentApprovedEvent,
    @EventPrincipal() principal: Principal,
    @Ctx() ctx: KafkaContext,
  ): Promise<void> {
    // The result's token is exchanged from this token after the money moved, and the authorization
    // server allows no clock skew: a token about to expire is refused before any money moves.
    if (principal.exp - Date.now() / 1000 < MIN_TOKEN_LIFE_SECONDS) {
      throw new EventRejectedError(
        ErrorCode.EXPIRED,
        `event token expires in less than ${MIN_TOKEN_LIFE_SECONDS} s: too late to settle and report`,
      );
    }
    const { event: result, firstTime } = await this.settlement.settle(event);
    this.logger.log(
      `payment ${event.paymentId} ${result.outcome}${result.reason ? ` (${result.reason})` : ''}` +
        `${firstTime ? '' : ' [redelivered: no money moved]'} sub=${principal.sub} actor=${principal.actor} jti=${principal.jti ?? '-'}`,
    );
    // After the commit: if this fails, Kafka redelivers, settle() finds the event id and the
    // stored result is announced again, without moving money twice.
    // The result's token is exchanged from this event's own token, so it stays bound to its user and payment.
    await this.results.publish(result, principal.token, readHeader(ctx.getMessage().headers, 'traceparent'));
  }
}
