/**
 * The Kafka contract between payments and accounts. Every message also carries, in its headers,
 * `authorization` (an event token), `event-id` (= `eventId` here) and `traceparent`.
 */
export const PaymentTopics = {
  /** payments -> accounts: move the money. Token: the owner's event token, bound to this event. */
  APPROVED: 'payments.approved',
  /**
   * accounts -> payments: the money moved. Token: the approved event's token, exchanged by accounts
   * for this result (scope `payments:settle`, audience `payments-api`, bound to this event, `act`
   * accounts-service): same user and payment (`sub`, `transaction_id`) as the approval it answers.
   */
  SETTLED: 'payments.settled',
  /** accounts -> payments: the money could not move (e.g. insufficient funds). Token: as for SETTLED. */
  REJECTED: 'payments.rejected',
} as const;

/** Scope of the event token on `payments.approved`; audience `accounts-api`. */
export const APPROVED_EVENT_SCOPE = 'payments:approve';
/** The only publisher of `payments.approved`: the client that exchanges the user's token (its `act.sub`). */
export const PAYMENTS_SERVICE_CLIENT_ID = 'payments-service';
/** Scope of the event token on settlement results; only ever issued bound to one result event. */
export const SETTLEMENT_EVENT_SCOPE = 'payments:settle';
/** Audience of the event token on settlement results. */
export const SETTLEMENT_EVENT_AUDIENCE = 'payments-api';
/** The only publisher of settlement results: the client that exchanges the approved event's token (its `act.sub`). */
export const ACCOUNTS_SERVICE_CLIENT_ID = 'accounts-service';

export interface PaymentApprovedEvent {
  eventId: string;
  paymentId: string;
  /** `sub` of the payment's owner; must equal the event token's `sub`. */
  userId: string;
  sourceAccountId: string;
  destinationAccountId: string;
  /** Integer minor units as a decimal string. */
  amountMinor: string;
  currency: string;
  approvedAt: string;
}

export interface PaymentSettlementEvent {
  eventId: string;
  paymentId: string;
  outcome: 'settled' | 'rejected';
  /** Why a payment was rejected, in words fit for its owner (never another user's data). */
  reason?: string;
  /** The approved event this settles (its token was exchanged for this result's token). */
  approvedEventId: string;
  at: string;
}
