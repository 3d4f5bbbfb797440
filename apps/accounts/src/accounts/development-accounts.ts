/**
 * Accounts of the development users (same `sub`s as the authorization server's test users).
 * Fixed ids, so the demo and the end-to-end tests can name them. Seeded only when development is
 * chosen explicitly (NODE_ENV `development` or `test`), never in production mode (NODE_ENV unset or `production`).
 */
export const DEVELOPMENT_ACCOUNTS = [
  { id: 'a11ce000-0000-4000-8000-000000000001', ownerSub: 'usr_alice', currency: 'EUR', balanceMinor: '100000' },
  { id: 'b0b00000-0000-4000-8000-000000000001', ownerSub: 'usr_bob', currency: 'EUR', balanceMinor: '50000' },
] as const;
