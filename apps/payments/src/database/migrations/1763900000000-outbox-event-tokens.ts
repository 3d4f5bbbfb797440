import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps each event's exact bytes (text, not jsonb: jsonb reorders keys, and the event
 * token is bound to a digest of those bytes) and the event token until the event is published;
 * the relay then clears the token so no bearer token lingers at rest.
 */
export class OutboxEventTokens1763900000000 implements MigrationInterface {
  name = 'OutboxEventTokens1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE outbox_events ALTER COLUMN payload TYPE text USING payload::text');
    await db.query('ALTER TABLE outbox_events ADD COLUMN event_token text');
    await db.query('ALTER TABLE outbox_events ADD COLUMN attempts integer NOT NULL DEFAULT 0');
    await db.query('ALTER TABLE outbox_events ADD COLUMN last_error text');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE outbox_events DROP COLUMN last_error, DROP COLUMN attempts, DROP COLUMN event_token');
    await db.query('ALTER TABLE outbox_events ALTER COLUMN payload TYPE jsonb USING payload::jsonb');
  }
}
