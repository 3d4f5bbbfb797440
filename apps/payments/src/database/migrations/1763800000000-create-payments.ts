import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePayments1763800000000 implements MigrationInterface {
  name = 'CreatePayments1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payments (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_sub              text NOT NULL,
        source_account_id      uuid NOT NULL,
        destination_account_id uuid NOT NULL,
        amount_minor           bigint NOT NULL CHECK (amount_minor > 0),
        currency               char(3) NOT NULL,
        status                 text NOT NULL CHECK (status IN ('pending', 'approved', 'settled', 'rejected')),
        idempotency_key        text NOT NULL,
        request_digest         text NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CHECK (source_account_id <> destination_account_id),
        UNIQUE (owner_sub, idempotency_key)
      )`);
    await db.query('CREATE INDEX payments_owner_sub_idx ON payments (owner_sub)');
    await db.query(`
      CREATE TABLE outbox_events (
        id           uuid PRIMARY KEY,
        topic        text NOT NULL,
        message_key  text NOT NULL,
        payload      jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await db.query(
      'CREATE INDEX outbox_events_unpublished_idx ON outbox_events (created_at) WHERE published_at IS NULL',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbox_events');
    await db.query('DROP TABLE payments');
  }
}
