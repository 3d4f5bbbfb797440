import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins per (username, client IP), keyed by a hash of both, so every instance of the
 * server applies the same growing delay and nobody's password can be guessed at full speed.
 */
export class CreateLoginAttempts1763800000300 implements MigrationInterface {
  name = 'CreateLoginAttempts1763800000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE login_attempts (
        key            text PRIMARY KEY,
        failures       integer NOT NULL,
        locked_until   timestamptz,
        last_failed_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE login_attempts');
  }
}
