import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Storage for oidc-provider's models (sessions, grants, codes, tokens, ...): one row per
 * model instance, keyed by model name and id, so the server survives restarts and can run
 * as several instances.
 */
export class CreateOidcPayloads1763800000000 implements MigrationInterface {
  name = 'CreateOidcPayloads1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE oidc_payloads (
        model       text NOT NULL,
        id          text NOT NULL,
        payload     jsonb NOT NULL,
        grant_id    text,
        user_code   text,
        uid         text,
        expires_at  timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (model, id)
      )`);
    await db.query('CREATE INDEX oidc_payloads_grant_id_idx ON oidc_payloads (grant_id)');
    await db.query('CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (uid)');
    await db.query('CREATE INDEX oidc_payloads_user_code_idx ON oidc_payloads (user_code)');
    await db.query('CREATE INDEX oidc_payloads_expires_at_idx ON oidc_payloads (expires_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE oidc_payloads');
  }
}
