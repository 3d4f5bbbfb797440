import { DataSource, EntityManager } from 'typeorm';
import { generateSigningJwk, SigningJwk } from './signing-jwk';

export type KeyState = 'next' | 'active' | 'retired';
export interface StoredKey {
  jwk: SigningJwk;
  state: KeyState;
}

const ORDER = `CASE state WHEN 'active' THEN 0 WHEN 'next' THEN 1 ELSE 2 END, created_at DESC`;

/**
 * Development-mode key store in PostgreSQL, shared by every instance. Changes run under one
 * advisory lock, so two instances starting at once or a rotation during start-up cannot
 * create two active keys (the partial unique indexes would refuse it anyway).
 */
export class SigningKeyStore {
  constructor(private readonly db: DataSource) {}

  async load(): Promise<StoredKey[]> {
    const rows: { jwk: SigningJwk; state: KeyState }[] = await this.db.query(
      `SELECT jwk, state FROM oauth_signing_keys ORDER BY ${ORDER}`,
    );
    return rows.map((row) => ({ jwk: row.jwk, state: row.state }));
  }

  /** Makes sure there is an active key and a published next key (first start, or after a crash). */
  async ensureKeys(): Promise<void> {
    await this.locked(async (tx) => this.fillGaps(tx));
  }

  /**
   * next -> active, active -> retired, new next. Retired keys older than `retireAfterSeconds`
   * (longer than any token they signed can live) stop being published.
   */
  async rotate(retireAfterSeconds: number): Promise<void> {
    await this.locked(async (tx) => {
      await this.fillGaps(tx);
      await tx.query(
        `DELETE FROM oauth_signing_keys WHERE state = 'retired' AND retired_at < now() - make_interval(secs => $1)`,
        [retireAfterSeconds],
      );
      await tx.query(`UPDATE oauth_signing_keys SET state = 'retired', retired_at = now() WHERE state = 'active'`);
      await tx.query(`UPDATE oauth_signing_keys SET state = 'active', activated_at = now() WHERE state = 'next'`);
      await this.fillGaps(tx);
    });
  }

  private async fillGaps(tx: EntityManager): Promise<void> {
    const rows: { state: KeyState }[] = await tx.query(`SELECT state FROM oauth_signing_keys WHERE state <> 'retired'`);
    const states = new Set(rows.map((row) => row.state));
    if (!states.has('active')) await this.insert(tx, 'active');
    if (!states.has('next')) await this.insert(tx, 'next');
  }

  private async insert(tx: EntityManager, state: KeyState): Promise<void> {
    const jwk = generateSigningJwk();
    await tx.query(
      `INSERT INTO oauth_signing_keys (kid, jwk, state, activated_at) VALUES ($1, $2, $3, CASE WHEN $3 = 'active' THEN now() END)`,
      [jwk.kid, JSON.stringify(jwk), state],
    );
  }

  private locked<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('oauth_signing_keys'))`);
      return work(tx);
    });
  }
}
