import type { Message, Producer, RecordMetadata } from 'kafkajs';
import type { Principal } from '../verification/principal';
import { EventHeaders } from './kafka-headers';

export interface OutgoingEvent {
  /** Unique id of the event; consumers deduplicate on it and tokens may bind to it (`event_id`). */
  eventId: string;
  payload: unknown;
  key?: string;
  traceparent?: string;
}

/**
 * Builds the kafkajs message of the event contract: JSON value, and headers `authorization`
 * (Bearer + the event token), `event-id`, `traceparent`. The token should be this event's own token
 * from token exchange (narrow scope, event audience, `event_id` = `eventId`, `event_digest` =
 * `eventDigest(payload)`: the bytes written here), never the user's original access token nor a
 * service's reusable client-credentials token.
 */
export function buildEventMessage(token: string, event: OutgoingEvent): Message {
  if (!token || /\s/.test(token)) throw new Error('buildEventMessage needs a token');
  const headers: Record<string, string> = {
    [EventHeaders.AUTHORIZATION]: `Bearer ${token}`,
    [EventHeaders.EVENT_ID]: event.eventId,
  };
  if (event.traceparent) headers[EventHeaders.TRACEPARENT] = event.traceparent;
  return { key: event.key ?? null, value: Buffer.from(JSON.stringify(event.payload)), headers };
}

/**
 * Thin helper over a kafkajs Producer: the given token travels with every event of the call. A token
 * bound to one event (as it should be) authorizes that event only: publish one event per token.
 */
export class KafkaEventPublisher {
  constructor(private readonly producer: Pick<Producer, 'send'>) {}

  publish(topic: string, tokenOrPrincipal: string | Principal, events: OutgoingEvent[]): Promise<RecordMetadata[]> {
    const token = typeof tokenOrPrincipal === 'string' ? tokenOrPrincipal : tokenOrPrincipal.token;
    return this.producer.send({ topic, messages: events.map((e) => buildEventMessage(token, e)) });
  }
}
