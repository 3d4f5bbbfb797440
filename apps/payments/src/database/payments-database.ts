import { DatabaseSpec } from '@zt/platform';
import { OutboxEvent } from '../outbox/outbox-event.entity';
import { Payment } from '../payments/payment.entity';
import { CreatePayments1763800000000 } from './migrations/1763800000000-create-payments';
import { OutboxEventTokens1763900000000 } from './migrations/1763900000000-outbox-event-tokens';

/** Everything TypeORM needs for the payments database: entities and the ordered migrations. */
export const paymentsDatabase: DatabaseSpec = {
  entities: [Payment, OutboxEvent],
  migrations: [CreatePayments1763800000000, OutboxEventTokens1763900000000],
};
