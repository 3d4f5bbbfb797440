import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * End users who sign in here. Passwords are scrypt hashes (never the password). `region` is
 * the data-residency claim every API relies on; `privileged_scopes` lists scopes (such as
 * users:admin) that only these users may be granted.
 */
export class CreateUsers1763800000200 implements MigrationInterface {
  name = 'CreateUsers1763800000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        sub               text PRIMARY KEY,
        username          text NOT NULL UNIQUE,
        display_name      text NOT NULL,
        password_hash     text NOT NULL,
        region            text NOT NULL,
        privileged_scopes text[] NOT NULL DEFAULT '{}',
        created_at        timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE users');
  }
}
