import type { KafkaContext } from '@nestjs/microservices';
import type { PaymentApprovedEvent } from '@zt/contracts';
import type { Principal } from '@zt/security';
import { MIN_TOKEN_LIFE_SECONDS, PaymentApprovedConsumer } from './payment-approved.consumer';
import type { SettlementResultPublisher } from './settlement-result.publisher';
import type { SettlementService } from './settlement.service';

/** The handler's own rule (the guard has run before it): the result must still be reportable once money moved. */
describe('PaymentApprovedConsumer', () => {
  const event = { eventId: 'e-1', paymentId: 'p-1', userId: 'usr_alice' } as PaymentApprovedEvent;
  const ctx = { getMessage: () => ({ headers: {} }) } as unknown as KafkaContext;
  const result = { eventId: 'r-1', paymentId: 'p-1', outcome: 'settled', approvedEventId: 'e-1', at: 'now' } as const;
  const principalExpiringIn = (seconds: number) =>
    ({
      sub: 'usr_alice',
      actor: 'payments-service',
      token: 'approved.event.token',
      exp: Math.floor(Date.now() / 1000) + seconds,
    }) as unknown as Principal;

  function consumer() {
    const settle = jest.fn().mockResolvedValue({ event: result, firstTime: true });
    const publish = jest.fn().mockResolvedValue(undefined);
    const handler = new PaymentApprovedConsumer(
      { settle } as unknown as SettlementService,
      { publish } as unknown as SettlementResultPublisher,
    );
    return { handler, settle, publish };
  }

  it("settles, then reports with a token exchanged from the approved event's own token", async () => {
    const { handler, settle, publish } = consumer();
    await handler.onApproved(event, principalExpiringIn(3600), ctx);
    expect(settle).toHaveBeenCalledWith(event);
    expect(publish).toHaveBeenCalledWith(result, 'approved.event.token', undefined);
  });

  it('refuses, before moving money, an event whose token expires too soon to exchange it for the result', async () => {
    const { handler, settle, publish } = consumer();
    await expect(handler.onApproved(event, principalExpiringIn(MIN_TOKEN_LIFE_SECONDS - 5), ctx)).rejects.toMatchObject(
      { code: 'ERR_JWT_EXPIRED' },
    );
    expect(settle).not.toHaveBeenCalled();
    expect(publish).not.toHaveBeenCalled();
  });
});
