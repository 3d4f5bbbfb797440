import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An event waiting to be published. It is written in the same transaction as the business
 * change it describes, so an event exists exactly when the change does; the relay publishes it.
 */
@Entity({ name: 'outbox_events' })
export class OutboxEvent {
  /** The event id: Kafka header `event-id`, the consumer's deduplication key, the token's `event_id`. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey: string;

  /** The exact JSON bytes to publish (the event token's `event_digest` covers them). */
  @Column({ type: 'text' })
  payload: string;

  /** The event token (RFC 8693 exchange) until publication, then null. Never logged. */
  @Column({ name: 'event_token', type: 'text', nullable: true })
  eventToken: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
