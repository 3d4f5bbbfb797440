import { Injectable, Logger } from '@nestjs/common';
import {
  type PaymentSettlementEvent,
  PaymentTopics,
  SETTLEMENT_EVENT_AUDIENCE,
  SETTLEMENT_EVENT_SCOPE,
} from '@zt/contracts';
import { KafkaProducerService } from '@zt/platform';
import { buildEventMessage, eventDigest, ServiceTokenClient } from '@zt/security';

/**
 * Announces a settlement result to payments. Like every event, it carries its own token: the
 * verified token of the `payments.approved` event it answers, exchanged (RFC 8693) for scope
 * `payments:settle`, audience `payments-api`, bound to this result's event id and the digest of its
 * bytes, with `act` naming the accounts service. The token therefore speaks for the approval's user
 * and payment only, and for this one result: no reusable service token travels in the event.
 */
@Injectable()
export class SettlementResultPublisher {
  private readonly logger = new Logger(SettlementResultPublisher.name);

  constructor(
    private readonly kafka: KafkaProducerService,
    private readonly oauth: ServiceTokenClient,
  ) {}

  /** `approvedEventToken`: the token the approved event arrived with, already verified by the consumer's guard. */
  async publish(event: PaymentSettlementEvent, approvedEventToken: string, traceparent?: string): Promise<void> {
    const token = await this.exchange(event, approvedEventToken);
    const topic = event.outcome === 'settled' ? PaymentTopics.SETTLED : PaymentTopics.REJECTED;
    // buildEventMessage writes JSON.stringify(payload): the very bytes eventDigest(event) covered.
    const message = buildEventMessage(token, {
      eventId: event.eventId,
      key: event.paymentId,
      payload: event,
      traceparent,
    });
    await this.kafka.send({ topic, messages: [message], acks: -1 });
  }

  private async exchange(event: PaymentSettlementEvent, subjectToken: string): Promise<string> {
    try {
      const { accessToken } = await this.oauth.exchange({
        subjectToken,
        audience: SETTLEMENT_EVENT_AUDIENCE,
        scope: SETTLEMENT_EVENT_SCOPE,
        eventId: event.eventId,
        eventDigest: eventDigest(event),
      });
      return accessToken;
    } catch (error) {
      // The caller's failure makes Kafka redeliver the approved event; settle() then finds the stored
      // result and this runs again, without moving money twice.
      this.logger.warn(
        `token exchange for settlement result ${event.eventId} of payment ${event.paymentId} failed: ${(error as Error).message}`,
      );
      throw error;
    }
  }
}
