import { DatabaseSpec } from '@zt/platform';
import { CreateOidcPayloads1763800000000 } from './migrations/1763800000000-create-oidc-payloads';
import { CreateSigningKeys1763800000100 } from './migrations/1763800000100-create-signing-keys';
import { CreateUsers1763800000200 } from './migrations/1763800000200-create-users';
import { CreateLoginAttempts1763800000300 } from './migrations/1763800000300-create-login-attempts';

/** The authorization server's database: oidc-provider's storage, keys, users, reached through plain SQL. */
export const authorizationServerDatabase: DatabaseSpec = {
  entities: [],
  migrations: [
    CreateOidcPayloads1763800000000,
    CreateSigningKeys1763800000100,
    CreateUsers1763800000200,
    CreateLoginAttempts1763800000300,
  ],
};
