import { DatabaseSpec } from '@zt/platform';
import { CreateOidcPayloads1763800000000 } from './migrations/1763800000000-create-oidc-payloads';

/** The authorization server's database: oidc-provider's storage, reached through plain SQL. */
export const authorizationServerDatabase: DatabaseSpec = {
  entities: [],
  migrations: [CreateOidcPayloads1763800000000],
};
