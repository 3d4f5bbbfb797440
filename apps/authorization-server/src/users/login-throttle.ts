import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Failures allowed before any delay; then the lock doubles per failure, up to 15 minutes. */
export const FREE_FAILURES = 3;
const BASE_LOCK_SECONDS = 2;
const MAX_LOCK_SECONDS = 15 * 60;
/** A quiet period after which old failures are forgotten. */
const FORGET_AFTER_SECONDS = 60 * 60;

export function lockSecondsAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES));
}

/**
 * Backoff after failed sign-ins, per username and client IP, in PostgreSQL so all instances
 * share it. Keyed by a hash: the table holds no usernames or addresses.
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly db: DataSource) {}

  /** Seconds the caller must still wait (0 when a try is allowed). */
  async secondsLocked(username: string, ip: string): Promise<number> {
    const rows: { wait: number }[] = await this.db.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS wait FROM login_attempts WHERE key = $1 AND locked_until > now()`,
      [key(username, ip)],
    );
    return rows[0]?.wait ?? 0;
  }

  async recordFailure(username: string, ip: string): Promise<number> {
    const rows: { failures: number }[] = await this.db.query(
      `INSERT INTO login_attempts AS a (key, failures, last_failed_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN a.last_failed_at < now() - make_interval(secs => $2) THEN 1 ELSE a.failures + 1 END,
         last_failed_at = now()
       RETURNING failures`,
      [key(username, ip), FORGET_AFTER_SECONDS],
    );
    const [row] = rows;
    // INSERT ... ON CONFLICT DO UPDATE ... RETURNING yields exactly one row.
    if (row === undefined) throw new Error('login_attempts upsert returned no row');
    const lock = lockSecondsAfter(row.failures);
    if (lock > 0) {
      await this.db.query(`UPDATE login_attempts SET locked_until = now() + make_interval(secs => $2) WHERE key = $1`, [
        key(username, ip),
        lock,
      ]);
    }
    return lock;
  }

  async recordSuccess(username: string, ip: string): Promise<void> {
    await this.db.query('DELETE FROM login_attempts WHERE key = $1', [key(username, ip)]);
  }
}

function key(username: string, ip: string): string {
  return createHash('sha256').update(`${username.trim().toLowerCase()}\n${ip}`).digest('base64url');
}
