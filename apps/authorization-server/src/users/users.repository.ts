import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface User {
  sub: string;
  username: string;
  displayName: string;
  passwordHash: string;
  region: string;
  privilegedScopes: string[];
}

interface UserRow {
  sub: string;
  username: string;
  display_name: string;
  password_hash: string;
  region: string;
  privileged_scopes: string[];
}

const toUser = (row: UserRow): User => ({
  sub: row.sub,
  username: row.username,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  region: row.region,
  privilegedScopes: row.privileged_scopes,
});

/** Users in PostgreSQL, through plain parameterised SQL. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  async findBySub(sub: string): Promise<User | undefined> {
    const rows: UserRow[] = await this.db.query('SELECT * FROM users WHERE sub = $1', [sub]);
    return rows[0] && toUser(rows[0]);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const rows: UserRow[] = await this.db.query('SELECT * FROM users WHERE username = $1', [
      username.trim().toLowerCase(),
    ]);
    return rows[0] && toUser(rows[0]);
  }

  /** Inserts the user unless one with that sub exists (seeding is idempotent and never resets a password). */
  async insertIfMissing(user: User): Promise<void> {
    await this.db.query(
      `INSERT INTO users (sub, username, display_name, password_hash, region, privileged_scopes)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sub) DO NOTHING`,
      [user.sub, user.username, user.displayName, user.passwordHash, user.region, user.privilegedScopes],
    );
  }
}
