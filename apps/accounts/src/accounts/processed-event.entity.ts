import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Ids of events already applied: a redelivered event finds its id here and changes nothing. */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  /** The settlement event (JSON) this event produced, re-sent if the event comes again. */
  @Column({ type: 'text', nullable: true })
  result: string | null;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt: Date;
}
