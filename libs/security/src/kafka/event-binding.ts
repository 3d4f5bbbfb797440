import { createHash } from 'node:crypto';
import { ErrorCode, EventRejectedError } from '../errors/security-errors';
import type { Principal } from '../verification/principal';

/** claim name -> payload field, e.g. `{ sub: 'userId', transaction_id: 'paymentId' }`. */
export type EventClaimBindings = Readonly<Record<string, string>>;

/** SHA-256 (base64url) of the event bytes; what an `event_digest` claim must equal. */
export function eventDigest(value: Buffer | string | object | null | undefined): string {
  return createHash('sha256').update(eventBytes(value)).digest('base64url');
}

/**
 * The bytes the digest covers. Exact bytes when the consumer keeps them (`parser: { keepBinary: true }`);
 * otherwise Nest has already parsed the JSON, and JSON.stringify restores exactly the bytes that
 * KafkaEventPublisher wrote (JSON.stringify(JSON.parse(JSON.stringify(x))) is stable).
 */
export function eventBytes(value: Buffer | string | object | null | undefined): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(value === undefined ? '' : JSON.stringify(value), 'utf8');
}

export interface ReceivedEvent {
  payload: unknown;
  eventId: string | undefined;
  value: Buffer | string | object | null | undefined;
}

/**
 * Binds an event to its token: each bound payload field must equal its claim (e.g. the payment in
 * the event is the one the token was issued for), and when the token names an event (`event_id`
 * and `event_digest`, always both) the event must be exactly that one (no replaying a token onto
 * another event). Bind `event_id` to the payload's id field to require an event-bound token.
 */
export function assertEventBoundToToken(
  principal: Principal,
  event: ReceivedEvent,
  bindings: EventClaimBindings = {},
): void {
  const payload = parsePayload(event.payload);
  for (const [claim, field] of Object.entries(bindings)) {
    const expected = principal.claims[claim];
    if (typeof expected !== 'string' || payload?.[field] !== expected)
      mismatch(`payload.${field} does not match claim ${claim}`);
  }
  const { event_id: eventIdClaim, event_digest: digestClaim } = principal.claims;
  // A token naming an event but not its bytes would authorize any payload under that id.
  if ((eventIdClaim === undefined) !== (digestClaim === undefined))
    mismatch('claim event_digest does not match claim event_id: a token names both or neither');
  if (eventIdClaim !== undefined && eventIdClaim !== event.eventId)
    mismatch('event-id header does not match claim event_id');
  if (digestClaim !== undefined && digestClaim !== eventDigest(event.value))
    mismatch('payload digest does not match claim event_digest');
}

function parsePayload(payload: unknown): Record<string, unknown> | undefined {
  let value = payload;
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    try {
      value = JSON.parse(value.toString());
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function mismatch(why: string): never {
  throw new EventRejectedError(ErrorCode.EVENT_BINDING_MISMATCH, why);
}
