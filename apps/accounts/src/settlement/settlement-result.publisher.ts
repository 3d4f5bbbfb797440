import { Injectable } from '@nestjs/common';
import { type PaymentSettlementEvent, PaymentTopics, SETTLEMENT_EVENT_SCOPE } from '@zt/contracts';
import { KafkaProducerService } from '@zt/platform';
import { buildEventMessage, ServiceTokenClient } from '@zt/security';

/**
 * Announces a settlement result to payments. The result is the accounts service's own statement,
 * so it carries the service's own token (client credentials, scope `payments:settle`, audience
 * `payments-api`), which payments verifies like any other token.
 */
@Injectable()
export class SettlementResultPublisher {
  constructor(
    private readonly kafka: KafkaProducerService,
    private readonly oauth: ServiceTokenClient,
  ) {}

  async publish(event: PaymentSettlementEvent, traceparent?: string): Promise<void> {
    const token = await this.oauth.clientCredentials(SETTLEMENT_EVENT_SCOPE);
    const topic = event.outcome === 'settled' ? PaymentTopics.SETTLED : PaymentTopics.REJECTED;
    const message = buildEventMessage(token, { eventId: event.eventId, key: event.paymentId, payload: event, traceparent });
    await this.kafka.send({ topic, messages: [message], acks: -1 });
  }
}
