/**
 * The test users of development mode. The authorization server seeds the same `sub`s with
 * passwords; here they get profiles. Seeded only when development is chosen explicitly
 * (NODE_ENV `development` or `test`), never in production mode (NODE_ENV unset or `production`).
 */
export const DEVELOPMENT_PROFILES = [
  { sub: 'usr_alice', displayName: 'Alice Andersen', email: 'alice@example.test', region: 'eu' },
  { sub: 'usr_bob', displayName: 'Bob Brown', email: 'bob@example.test', region: 'us' },
  { sub: 'usr_admin', displayName: 'Ada Admin', email: 'admin@example.test', region: 'eu' },
] as const;
