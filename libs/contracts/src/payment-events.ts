/**
 * The Kafka contract between payments and accounts. Every message also carries, in its headers,
 * `authorization` (an event token), `event-id` (= `eventId` here) and `traceparent`.
 */
export const PaymentTopics = {
  /** payments -> accounts: move the money. Token: the owner's event token, bound to this event. */
  APPROVED: 'payments.approved',
  /** accounts -> payments: the money moved. Token: the accounts service's own token. */
  SETTLED: 'payments.settled',
  /** accounts -> payments: the money could not move (e.g. insufficient funds). */
  REJECTED: 'payments.rejected',
} as const;

/** Scope of the event token on `payments.approved`; audience `accounts-api`. */
export const APPROVED_EVENT_SCOPE = 'payments:approve';
/** The only publisher of `payments.approved`: the client that exchanges the user's token (its `act.sub`). */
export const PAYMENTS_SERVICE_CLIENT_ID = 'payments-service';
/** Scope of the accounts service's token on settlement results; audience `payments-api`. */
export const SETTLEMENT_EVENT_SCOPE = 'payments:settle';

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
  /** The approved event this settles: lets payments ignore a result for something else. */
  approvedEventId: string;
  at: string;
}
