import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { parseDecimal, type PaymentApprovedEvent, type PaymentSettlementEvent, PaymentTopics } from '@zt/contracts';
import { assertOwnedBy, type Principal } from '@zt/security';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { OutboxEvent } from '../outbox/outbox-event.entity';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { EventTokenIssuer } from './event-token.issuer';
import { Payment } from './payment.entity';
import { PaymentStatus } from './payment-status';
import { requestDigest } from './request-digest';

/** The flow of a payment, in one place: create (idempotent) -> approve (with outbox event). */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly eventTokens: EventTokenIssuer,
  ) {}

  /**
   * The rules of the `payments` table that no field's validation can see, checked before any
   * query (and before the accounts API is asked): the database's CHECK is the last line of
   * defence, not the answer. UUIDs compare case-insensitively, as PostgreSQL's uuid type does.
   */
  assertAcceptable(dto: CreatePaymentDto): void {
    if (dto.destinationAccountId.toLowerCase() === dto.sourceAccountId.toLowerCase()) {
      throw new UnprocessableEntityException('destinationAccountId must differ from sourceAccountId');
    }
  }

  /**
   * Creates the payment once per (user, Idempotency-Key). A retry with the same request returns
   * the first payment (`replayed`); the same key with a different request is a 409.
   */
  async create(
    principal: Principal,
    idempotencyKey: string,
    dto: CreatePaymentDto,
  ): Promise<{ payment: Payment; replayed: boolean }> {
    this.assertAcceptable(dto);
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
   * transaction: the event exists exactly when the approval does. The event token is obtained
   * first (while the owner's transaction token is still valid) and bound to the event's exact
   * bytes. The guarded UPDATE makes a second approval, or a race of two, a 409 without an event.
   */
  async approve(principal: Principal, id: string): Promise<Payment> {
    const payment = await this.getOwn(principal, id);
    if (payment.status !== PaymentStatus.Pending)
      throw new ConflictException(`payment is ${payment.status}, not pending`);
    const event: PaymentApprovedEvent = {
      eventId: randomUUID(),
      paymentId: payment.id,
      userId: payment.ownerSub,
      sourceAccountId: payment.sourceAccountId,
      destinationAccountId: payment.destinationAccountId,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      approvedAt: new Date().toISOString(),
    };
    const bytes = JSON.stringify(event);
    const eventToken = await this.eventTokens.forApprovedEvent(principal.token, event.eventId, bytes);
    await this.db.transaction(async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(Payment)
        .set({ status: PaymentStatus.Approved })
        .where('id = :id AND status = :pending', { id, pending: PaymentStatus.Pending })
        .execute();
      if (result.affected !== 1) throw new ConflictException('payment is no longer pending');
      await tx.insert(OutboxEvent, {
        id: event.eventId,
        topic: PaymentTopics.APPROVED,
        messageKey: payment.id,
        payload: bytes,
        eventToken,
      });
    });
    return this.payments.findOneByOrFail({ id });
  }

  /** Applies a settlement result from accounts once: only an approved payment moves on. */
  async recordSettlement(result: PaymentSettlementEvent): Promise<boolean> {
    const status = result.outcome === 'settled' ? PaymentStatus.Settled : PaymentStatus.Rejected;
    const update = await this.payments
      .createQueryBuilder()
      .update(Payment)
      .set({ status })
      .where('id = :id AND status = :approved', { id: result.paymentId, approved: PaymentStatus.Approved })
      .execute();
    return update.affected === 1;
  }
}
