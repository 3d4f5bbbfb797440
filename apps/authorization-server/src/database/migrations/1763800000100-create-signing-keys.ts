import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Development-mode signing keys (production keys come from OAUTH_SIGNING_KEYS). Exactly one
 * key is `active` (signs), one is `next` (published before it ever signs, so verifiers have it
 * cached by the time it does) and `retired` keys stay published until tokens they signed expire.
 */
export class CreateSigningKeys1763800000100 implements MigrationInterface {
  name = 'CreateSigningKeys1763800000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE oauth_signing_keys (
        kid          text PRIMARY KEY,
        jwk          jsonb NOT NULL,
        state        text NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at   timestamptz
      )`);
    await db.query(
      `CREATE UNIQUE INDEX oauth_signing_keys_one_active ON oauth_signing_keys (state) WHERE state = 'active'`,
    );
    await db.query(
      `CREATE UNIQUE INDEX oauth_signing_keys_one_next ON oauth_signing_keys (state) WHERE state = 'next'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE oauth_signing_keys');
  }
}
