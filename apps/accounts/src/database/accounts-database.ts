import { DatabaseSpec } from '@zt/platform';
import { Account } from '../accounts/account.entity';
import { ProcessedEvent } from '../accounts/processed-event.entity';
import { CreateAccounts1763800000000 } from './migrations/1763800000000-create-accounts';
import { SettlementOutcomes1763900000000 } from './migrations/1763900000000-settlement-outcomes';

/** Everything TypeORM needs for the accounts database: entities and the ordered migrations. */
export const accountsDatabase: DatabaseSpec = {
  entities: [Account, ProcessedEvent],
  migrations: [CreateAccounts1763800000000, SettlementOutcomes1763900000000],
};
