import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSecuredAppForTest, testDatabaseUrl, testKafkaBrokers, testKafkaTlsEnv } from '@zt/platform/testing';
import type { PaymentApprovedEvent } from '@zt/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SettlementService } from './settlement.service';

/** Money movement against real PostgreSQL: exactly once, never below zero, nothing created or lost. */
describe('SettlementService (real PostgreSQL)', () => {
  let close: () => Promise<void>;
  let app: NestFastifyApplication;
  let settlement: SettlementService;
  let db: DataSource;

  async function openAccount(ownerSub: string, balanceMinor: string): Promise<string> {
    const [row] = await db.query(
      "INSERT INTO accounts (owner_sub, currency, balance_minor) VALUES ($1, 'EUR', $2) RETURNING id",
      [ownerSub, balanceMinor],
    );
    return row.id;
  }
  const balance = async (id: string) =>
    (await db.query('SELECT balance_minor FROM accounts WHERE id = $1', [id]))[0].balance_minor as string;
  const approved = (
    source: string,
    destination: string,
    amountMinor: string,
    userId = 'usr_payer',
  ): PaymentApprovedEvent => ({
    eventId: randomUUID(),
    paymentId: randomUUID(),
    userId,
    sourceAccountId: source,
    destinationAccountId: destination,
    amountMinor,
    currency: 'EUR',
    approvedAt: new Date().toISOString(),
  });

  beforeAll(async () => {
    ({ app, close } = await startSecuredAppForTest({
      name: 'accounts',
      audience: 'accounts-api',
      loadModule: async () => (await import('../app/app.module')).AppModule,
      env: {
        DATABASE_URL: testDatabaseUrl('zt_test_accounts_settlement'),
        KAFKA_BROKERS: testKafkaBrokers(),
        ...testKafkaTlsEnv(),
      },
    }));
    settlement = app.get(SettlementService);
    db = app.get(DataSource);
  });
  afterAll(() => close?.());

  it('debits and credits in one step and reports settled', async () => {
    const [a, b] = [await openAccount('usr_payer', '10000'), await openAccount('usr_payee', '0')];
    const { event, firstTime } = await settlement.settle(approved(a, b, '2550'));
    expect(firstTime).toBe(true);
    expect(event).toMatchObject({ outcome: 'settled' });
    expect([await balance(a), await balance(b)]).toEqual(['7450', '2550']);
  });

  it('moves money once for a redelivered event and returns the same result', async () => {
    const [a, b] = [await openAccount('usr_payer', '10000'), await openAccount('usr_payee', '0')];
    const event = approved(a, b, '1000');
    const first = await settlement.settle(event);
    const again = await settlement.settle(event);
    const concurrent = await Promise.all([settlement.settle(event), settlement.settle(event)]);
    expect(again).toEqual({ event: first.event, firstTime: false });
    expect(concurrent.every((r) => !r.firstTime)).toBe(true);
    expect([await balance(a), await balance(b)]).toEqual(['9000', '1000']);
  });

  it.each([
    ['insufficient funds', (a: string, b: string) => approved(a, b, '10001')],
    ['source account not found', (a: string, b: string) => approved(a, b, '1', 'usr_someone_else')],
    ['destination account not found', (a: string) => approved(a, '00000000-0000-4000-8000-000000000000', '1')],
    ['currency mismatch', (a: string, b: string) => ({ ...approved(a, b, '1'), currency: 'USD' })],
    ['malformed event', (a: string) => approved(a, "x' OR 1=1 --", '1')],
    ['invalid amount', (a: string, b: string) => approved(a, b, '1.5')],
    ['invalid amount', (a: string, b: string) => approved(a, b, '-100')],
  ])('rejects (%s) without moving money', async (reason, make) => {
    const [a, b] = [await openAccount('usr_payer', '10000'), await openAccount('usr_payee', '0')];
    const { event } = await settlement.settle(make(a, b));
    expect(event).toMatchObject({ outcome: 'rejected', reason });
    expect([await balance(a), await balance(b)]).toEqual(['10000', '0']);
  });

  it('never overdraws under 20 concurrent payments that together exceed the balance, and keeps the total', async () => {
    const source = await openAccount('usr_payer', '10000');
    const payees = await Promise.all(Array.from({ length: 4 }, () => openAccount('usr_payee', '500')));
    const events = Array.from({ length: 20 }, (_, i) => approved(source, payees[i % payees.length]!, '700'));
    const results = await Promise.all(events.map((e) => settlement.settle(e)));
    const settled = results.filter((r) => r.event.outcome === 'settled').length;
    expect(settled).toBe(14); // 14 x 7.00 = 98.00 fits in 100.00; the 15th would overdraw
    expect(results.filter((r) => r.event.reason === 'insufficient funds')).toHaveLength(6);
    expect(BigInt(await balance(source))).toBe(10000n - 700n * 14n);
    const total = (await Promise.all([source, ...payees].map(balance))).reduce((sum, b) => sum + BigInt(b), 0n);
    expect(total).toBe(10000n + 4n * 500n);
  });
});
