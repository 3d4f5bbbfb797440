import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { parseDecimal } from '@zt/contracts';
import { assertOwnedBy, type Principal } from '@zt/security';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { OutboxEvent } from '../outbox/outbox-event.entity';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { Payment } from './payment.entity';
import { PaymentStatus } from './payment-status';
import { requestDigest } from './request-digest';

export const PAYMENT_APPROVED_TOPIC = 'payments.approved';

/** The flow of a payment, in one place: create (idempotent) -> approve (with outbox event). */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /**
   * Creates the payment once per (user, Idempotency-Key). A retry with the same request returns
   * the first payment (`replayed`); the same key with a different request is a 409.
   */
  async create(principal: Principal, idempotencyKey: string, dto: CreatePaymentDto): Promise<{ payment: Payment; replayed: boolean }> {
    const digest = requestDigest(dto);
    const inserted = await this.payments
      .createQueryBuilder()
      .insert()
      .values({
        ownerSub: principal.sub,
        sourceAccountId: dto.sourceAccountId,
        destinationAccountId: dto.destinationAccountId,
        amountMinor: parseDecimal(dto.amount, dto.currency).toString(),
        currency: dto.currency,
        status: PaymentStatus.Pending,
        idempotencyKey,
        requestDigest: digest,
      })
      .orIgnore()
      .returning('id')
      .execute();
    const createdId: string | undefined = inserted.raw[0]?.id;
    const payment = await this.payments.findOneByOrFail({ ownerSub: principal.sub, idempotencyKey });
    if (!createdId && payment.requestDigest !== digest) {
      throw new ConflictException('Idempotency-Key was already used for a different payment request');
    }
    return { payment, replayed: !createdId };
  }

  listOwn(principal: Principal): Promise<Payment[]> {
    return this.payments.find({ where: { ownerSub: principal.sub }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async getOwn(principal: Principal, id: string): Promise<Payment> {
    const payment = await this.payments.findOneBy({ id });
    assertOwnedBy(principal, payment?.ownerSub);
    return payment!;
  }

  /**
   * pending -> approved, and the `payments.approved` event written to the outbox in the same
   * transaction: the event exists exactly when the approval does. The guarded UPDATE makes a
   * second approval (or a race of two) a 409 instead of a second event.
   */
  async approve(principal: Principal, id: string): Promise<Payment> {
    const payment = await this.getOwn(principal, id);
    await this.db.transaction(async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(Payment)
        .set({ status: PaymentStatus.Approved })
        .where('id = :id AND status = :pending', { id, pending: PaymentStatus.Pending })
        .execute();
      if (result.affected !== 1) throw new ConflictException(`payment is ${payment.status}, not pending`);
      await tx.insert(OutboxEvent, {
        id: randomUUID(),
        topic: PAYMENT_APPROVED_TOPIC,
        messageKey: payment.id,
        payload: {
          paymentId: payment.id,
          userId: payment.ownerSub,
          sourceAccountId: payment.sourceAccountId,
          destinationAccountId: payment.destinationAccountId,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
        },
        publishedAt: null,
      });
    });
    const approved = await this.payments.findOneBy({ id });
    if (!approved) throw new NotFoundException();
    return approved;
  }
}
