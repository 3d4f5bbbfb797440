import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccounts1763800000000 implements MigrationInterface {
  name = 'CreateAccounts1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE accounts (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_sub     text NOT NULL,
        currency      char(3) NOT NULL,
        balance_minor bigint NOT NULL CHECK (balance_minor >= 0),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX accounts_owner_sub_idx ON accounts (owner_sub)');
    await db.query(`
      CREATE TABLE processed_events (
        event_id     uuid PRIMARY KEY,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE processed_events');
    await db.query('DROP TABLE accounts');
  }
}
