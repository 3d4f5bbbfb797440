import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { KafkaProducerService } from '@zt/platform';
import { buildEventMessage } from '@zt/security';
import { DataSource } from 'typeorm';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { OutboxEvent } from './outbox-event.entity';

const BATCH = 50;

/**
 * Publishes the outbox to Kafka, oldest first, with each event's token in its headers. Rows are
 * locked (SKIP LOCKED, so several instances share the work) and marked published only after the
 * broker acknowledged them; a crash in between republishes, and consumers drop the duplicate by
 * event id. The token is cleared once published.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly kafka: KafkaProducerService,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: publishes what is waiting; returns how many events went out. */
  async publishPending(): Promise<number> {
    try {
      return await this.db.transaction(async (tx) => {
        const events = await tx
          .getRepository(OutboxEvent)
          .createQueryBuilder('e')
          .where('e.published_at IS NULL')
          .orderBy('e.created_at', 'ASC')
          .limit(BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        if (events.length === 0) return 0;
        await this.send(events);
        await tx.query(
          'UPDATE outbox_events SET published_at = now(), event_token = NULL, last_error = NULL WHERE id = ANY($1)',
          [events.map((e) => e.id)],
        );
        return events.length;
      });
    } catch (error) {
      if (error instanceof PublishError) {
        // Recorded outside the rolled-back transaction, so operators can see what is stuck and why.
        await this.db.query('UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)', [
          error.ids,
          error.message.slice(0, 500),
        ]);
      }
      throw error;
    }
  }

  private async send(events: OutboxEvent[]): Promise<void> {
    const byTopic = new Map<string, OutboxEvent[]>();
    for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
    try {
      for (const [topic, batch] of byTopic) {
        const messages = batch.map((e) =>
          buildEventMessage(e.eventToken ?? '', { eventId: e.id, key: e.messageKey, payload: JSON.parse(e.payload) }),
        );
        await this.kafka.send({ topic, messages, acks: -1 });
      }
    } catch (error) {
      throw new PublishError(
        events.map((e) => e.id),
        (error as Error).message,
      );
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.publishPending()
        .then((sent) => this.schedule(sent === BATCH ? 0 : this.config.outboxPollMs))
        .catch((error) => {
          this.logger.warn(`outbox relay: ${(error as Error).message}; retrying`);
          this.schedule(Math.max(this.config.outboxPollMs, 2000));
        });
    }, delayMs);
  }
}

class PublishError extends Error {
  constructor(
    readonly ids: string[],
    message: string,
  ) {
    super(`publishing ${ids.length} outbox event(s) failed: ${message}`);
  }
}
