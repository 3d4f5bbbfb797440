/**
 * Accounts of the development users (same `sub`s as the authorization server's test users).
 * Fixed ids, so the demo and the end-to-end tests can name them. Never seeded in production.
 */
export const DEVELOPMENT_ACCOUNTS = [
  { id: 'a11ce000-0000-4000-8000-000000000001', ownerSub: 'usr_alice', currency: 'EUR', balanceMinor: '100000' },
  { id: 'b0b00000-0000-4000-8000-000000000001', ownerSub: 'usr_bob', currency: 'EUR', balanceMinor: '50000' },
] as const;
