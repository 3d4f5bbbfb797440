import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PaymentApprovedEvent, PaymentSettlementEvent } from '@zt/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Account } from '../accounts/account.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SettlementResult {
  event: PaymentSettlementEvent;
  /** false when this event id was already processed: no money moved this time. */
  firstTime: boolean;
}

/**
 * Moves the money of one approved payment, exactly once, in one database transaction: record the
 * event id, lock both accounts (in id order, so two payments between the same accounts cannot
 * deadlock), check owner, currency and funds, debit and credit. A balance can never go below
 * zero: the check runs under the row lock, and the column has a CHECK constraint as a backstop.
 */
@Injectable()
export class SettlementService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  settle(approved: PaymentApprovedEvent): Promise<SettlementResult> {
    return this.db.transaction(async (tx) => {
      const claimed = await tx.query(
        'INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id',
        [approved.eventId],
      );
      if (claimed.length === 0) {
        const [previous] = await tx.query('SELECT result FROM processed_events WHERE event_id = $1', [
          approved.eventId,
        ]);
        return { event: JSON.parse(previous.result) as PaymentSettlementEvent, firstTime: false };
      }
      const reason = await this.moveMoney(tx, approved);
      const event: PaymentSettlementEvent = {
        eventId: randomUUID(),
        paymentId: approved.paymentId,
        outcome: reason ? 'rejected' : 'settled',
        ...(reason ? { reason } : {}),
        approvedEventId: approved.eventId,
        at: new Date().toISOString(),
      };
      await tx.query('UPDATE processed_events SET result = $2 WHERE event_id = $1', [
        approved.eventId,
        JSON.stringify(event),
      ]);
      return { event, firstTime: true };
    });
  }

  /** Returns why the money cannot move, or undefined once it has moved. */
  private async moveMoney(tx: EntityManager, approved: PaymentApprovedEvent): Promise<string | undefined> {
    // The event's shape is checked before it reaches SQL: a malformed event is rejected, not retried forever.
    if (![approved.sourceAccountId, approved.destinationAccountId].every((id) => UUID.test(String(id))))
      return 'malformed event';
    if (!/^\d{1,18}$/.test(String(approved.amountMinor))) return 'invalid amount';
    const ids = [approved.sourceAccountId, approved.destinationAccountId].sort();
    const locked = await tx
      .getRepository(Account)
      .createQueryBuilder('a')
      .where('a.id IN (:...ids)', { ids })
      .orderBy('a.id')
      .setLock('pessimistic_write')
      .getMany();
    const source = locked.find((a) => a.id === approved.sourceAccountId);
    const destination = locked.find((a) => a.id === approved.destinationAccountId);
    const amount = BigInt(approved.amountMinor);
    if (!source || source.ownerSub !== approved.userId) return 'source account not found';
    if (!destination || approved.sourceAccountId === approved.destinationAccountId)
      return 'destination account not found';
    if (source.currency !== approved.currency || destination.currency !== approved.currency) return 'currency mismatch';
    if (amount <= 0n) return 'invalid amount';
    if (BigInt(source.balanceMinor) < amount) return 'insufficient funds';
    await tx.query('UPDATE accounts SET balance_minor = balance_minor - $2 WHERE id = $1', [
      source.id,
      amount.toString(),
    ]);
    await tx.query('UPDATE accounts SET balance_minor = balance_minor + $2 WHERE id = $1', [
      destination.id,
      amount.toString(),
    ]);
    return undefined;
  }
}
