import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';
import {
  DEFAULT_JSON_SHAPE_LIMITS,
  findJsonShapeViolation,
  type JsonShapeLimits,
  type JsonShapeViolation,
} from '../json/json-shape';

/**
 * What a handler's payload becomes when the event's JSON exceeds the shape limits: never the
 * parsed value. KafkaEventGuard turns it into an EventRejectedError, which KafkaDeadLetterFilter
 * sends to `<topic>.dlq`; a handler without the guard gets this object, not the data.
 */
export class RefusedEventPayload {
  constructor(readonly violation: JsonShapeViolation) {}
}

/**
 * Parses a Kafka event's value only after checking its shape (depth, keys, array items, string
 * length) on the raw text. It needs the consumer's `parser: { keepBinary: true }`: otherwise Nest
 * has already run JSON.parse on the value before any deserializer, guard or filter sees it.
 *
 * It never throws: a deserializer that throws fails the whole kafkajs batch, which is then
 * redelivered forever (the consumer stalls on one bad event). A refused event goes on to its
 * handler's guard as a RefusedEventPayload, so it is dead-lettered with a reason and the consumer
 * moves on. Otherwise it decodes exactly as Nest's KafkaParser does: `{`/`[` text is parsed when
 * it is valid JSON, other text stays a string, a value with a leading zero byte (a schema-registry
 * payload) stays a Buffer.
 */
export class KafkaEventDeserializer implements ConsumerDeserializer {
  constructor(private readonly limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS) {}

  /** The event's pattern is its topic (`options.channel`), as with Nest's KafkaRequestDeserializer. */
  deserialize(message: { value?: unknown } | undefined, options?: Record<string, unknown>): IncomingEvent {
    return { pattern: options?.channel, data: this.decode(message?.value) };
  }

  decode(value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value) && value.length > 0 && value[0] === 0) return value;
    const text = Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : undefined;
    // Already decoded by someone else (a consumer without keepBinary): nothing left to check here.
    if (text === undefined) return value;
    const first = text.charCodeAt(0);
    if (first !== 0x7b && first !== 0x5b) return text;
    const violation = findJsonShapeViolation(text, this.limits);
    if (violation) return new RefusedEventPayload(violation);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
}
