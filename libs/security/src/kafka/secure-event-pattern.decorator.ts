import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { EventPattern, Transport } from '@nestjs/microservices';
import { EVENT_BINDINGS } from '../authz/security-metadata';
import type { EventClaimBindings } from './event-binding';
import { KafkaDeadLetterFilter } from './kafka-dead-letter.filter';
import { KafkaEventGuard } from './kafka-event.guard';

/**
 * `@EventPattern` for Kafka with the token check attached to the handler itself, so it holds even
 * when the microservice does not inherit the app's global guards. Example:
 * `@SecureEventPattern('payments.approved', { sub: 'userId', transaction_id: 'paymentId' })`.
 */
export function SecureEventPattern(topic: string, bindings: EventClaimBindings = {}): MethodDecorator {
  return applyDecorators(
    EventPattern(topic, Transport.KAFKA),
    UseGuards(KafkaEventGuard),
    UseFilters(KafkaDeadLetterFilter),
    SetMetadata(EVENT_BINDINGS, Object.freeze({ ...bindings })),
  );
}
