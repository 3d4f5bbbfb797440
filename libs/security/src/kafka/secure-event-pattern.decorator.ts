import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { EventPattern, Transport } from '@nestjs/microservices';
import { EVENT_ACTORS, EVENT_BINDINGS } from '../authz/security-metadata';
import type { EventClaimBindings } from './event-binding';
import { KafkaDeadLetterFilter } from './kafka-dead-letter.filter';
import { KafkaEventGuard } from './kafka-event.guard';

export interface SecureEventOptions {
  /**
   * The services allowed to have published this event: the event token's actor (`act.sub`, set by
   * the authorization server to the client that exchanged the user's token) must be one of them.
   */
  actors?: readonly string[];
}

/**
 * `@EventPattern` for Kafka with the token check attached to the handler itself, so it holds even
 * when the microservice does not inherit the app's global guards. Example:
 * `@SecureEventPattern('payments.approved', { sub: 'userId', transaction_id: 'paymentId' }, { actors: ['payments-service'] })`.
 */
export function SecureEventPattern(
  topic: string,
  bindings: EventClaimBindings = {},
  options: SecureEventOptions = {},
): MethodDecorator {
  if (options.actors !== undefined && options.actors.length === 0)
    throw new Error(`@SecureEventPattern('${topic}'): actors must name at least one service`);
  return applyDecorators(
    EventPattern(topic, Transport.KAFKA),
    UseGuards(KafkaEventGuard),
    UseFilters(KafkaDeadLetterFilter),
    SetMetadata(EVENT_BINDINGS, Object.freeze({ ...bindings })),
    SetMetadata(EVENT_ACTORS, options.actors ? Object.freeze([...options.actors]) : undefined),
  );
}
