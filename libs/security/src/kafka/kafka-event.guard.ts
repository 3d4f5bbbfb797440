import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { KafkaContext } from '@nestjs/microservices';
import { SECURITY_OPTIONS } from '../security.constants';
import type { SecurityOptions } from '../config/security-options';
import { ErrorCode, EventRejectedError, SecurityError } from '../errors/security-errors';
import { extractBearerToken } from '../http/bearer-token';
import { attachPrincipal } from '../authz/current-principal.decorator';
import { EVENT_ACTORS, EVENT_BINDINGS, REQUIRED_SCOPES, type ScopeRequirement } from '../authz/security-metadata';
import { assertScopes } from '../authz/authorization-rules';
import { AccessTokenVerifier } from '../verification/access-token-verifier';
import { assertEventBoundToToken, type EventClaimBindings } from './event-binding';
import { RefusedEventPayload } from './kafka-event.deserializer';
import { EventHeaders, readHeader } from './kafka-headers';

/**
 * Verifies the token in a Kafka event's `authorization` header with the SAME AccessTokenVerifier as
 * HTTP, checks @Scopes/@AnyScope and the allowed publishers (`actors`), then binds the event to the
 * token's claims. Runs before the handler; any failure is a SecurityError, which the
 * KafkaDeadLetterFilter sends to `<topic>.dlq`.
 */
@Injectable()
export class KafkaEventGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    @Inject(SECURITY_OPTIONS) private readonly options: SecurityOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rpc = context.switchToRpc();
    const kafka = rpc.getContext<KafkaContext>();
    if (context.getType() !== 'rpc' || typeof kafka?.getMessage !== 'function') {
      throw new EventRejectedError(ErrorCode.TOKEN_MISSING, 'KafkaEventGuard used outside a Kafka handler');
    }
    const message = kafka.getMessage();
    const data = rpc.getData<unknown>();
    // Refused by KafkaEventDeserializer before any parsing: dead-lettered, never verified or handled.
    if (data instanceof RefusedEventPayload)
      throw new EventRejectedError(ErrorCode.EVENT_PAYLOAD_SHAPE, `event payload refused: ${data.violation.message}`);
    try {
      const header = readHeader(message.headers, EventHeaders.AUTHORIZATION);
      const principal = await this.verifier.verify(
        extractBearerToken(header, this.options.maxAuthorizationHeaderBytes),
      );
      assertScopes(
        principal,
        this.reflector.getAllAndOverride<ScopeRequirement>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]),
      );
      const actors = this.reflector.get<readonly string[] | undefined>(EVENT_ACTORS, context.getHandler());
      if (actors && !(principal.actor !== undefined && actors.includes(principal.actor))) {
        throw new EventRejectedError(
          ErrorCode.EVENT_ACTOR_NOT_ALLOWED,
          `event token's actor is ${principal.actor ?? 'none'}, expected ${actors.join(' or ')}`,
        );
      }
      const bindings = this.reflector.get<EventClaimBindings | undefined>(EVENT_BINDINGS, context.getHandler());
      const eventId = readHeader(message.headers, EventHeaders.EVENT_ID);
      assertEventBoundToToken(principal, { payload: data, eventId, value: message.value }, bindings);
      attachPrincipal(kafka, principal);
      return true;
    } catch (error) {
      // Same stable code, but typed as an event rejection so the log and the DLQ say where it happened.
      if (error instanceof SecurityError && !(error instanceof EventRejectedError))
        throw new EventRejectedError(error.code, error.message);
      throw error;
    }
  }
}
