/**
 * Test users, seeded only when development is chosen explicitly (NODE_ENV `development` or
 * `test`); never in production mode, which an unset NODE_ENV is. Passwords are
 * documented in apps/authorization-server/README.md; they are stored as scrypt hashes.
 */
export const DEV_USERS = [
  {
    sub: 'usr_alice',
    username: 'alice',
    displayName: 'Alice Andersen',
    region: 'eu',
    password: 'alice-password',
    privilegedScopes: [],
  },
  {
    sub: 'usr_bob',
    username: 'bob',
    displayName: 'Bob Brown',
    region: 'us',
    password: 'bob-password',
    privilegedScopes: [],
  },
  {
    sub: 'usr_admin',
    username: 'admin',
    displayName: 'Ada Admin',
    region: 'eu',
    password: 'admin-password',
    privilegedScopes: ['users:admin'],
  },
] as const;
