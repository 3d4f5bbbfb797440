import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A processed event keeps the result it produced, so a redelivered `payments.approved` event
 * moves no money but can still re-announce its (already committed) result.
 */
export class SettlementOutcomes1763900000000 implements MigrationInterface {
  name = 'SettlementOutcomes1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE processed_events ADD COLUMN result text');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE processed_events DROP COLUMN result');
  }
}
