import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUserProfiles1763800000000 implements MigrationInterface {
  name = 'CreateUserProfiles1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE user_profiles (
        sub          text PRIMARY KEY,
        display_name text NOT NULL,
        email        text NOT NULL,
        region       text NOT NULL CHECK (region ~ '^[a-z]{2}$'),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE user_profiles');
  }
}
