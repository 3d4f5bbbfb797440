import { buildEventMessage, KafkaEventPublisher } from './kafka-event-publisher';

describe('KafkaEventPublisher', () => {
  it('builds a message with the event contract headers and a JSON value', () => {
    const m = buildEventMessage('a.b.c', {
      eventId: 'e-1',
      payload: { paymentId: 'p-1' },
      key: 'p-1',
      traceparent: '00-abc',
    });
    expect(m).toEqual({
      key: 'p-1',
      value: Buffer.from('{"paymentId":"p-1"}'),
      headers: { authorization: 'Bearer a.b.c', 'event-id': 'e-1', traceparent: '00-abc' },
    });
    expect(buildEventMessage('a.b.c', { eventId: 'e', payload: 1 }).headers).toEqual({
      authorization: 'Bearer a.b.c',
      'event-id': 'e',
    });
    expect(buildEventMessage('a.b.c', { eventId: 'e', payload: 1 }).key).toBeNull();
  });

  it('refuses to publish without a usable token', () => {
    expect(() => buildEventMessage('', { eventId: 'e', payload: {} })).toThrow('needs a token');
    expect(() => buildEventMessage('a b', { eventId: 'e', payload: {} })).toThrow('needs a token');
  });

  it('sends every event with the principal token', async () => {
    const send = jest.fn().mockResolvedValue([]);
    await new KafkaEventPublisher({ send }).publish('payments.approved', { token: 'x.y.z' } as never, [
      { eventId: 'e-1', payload: {} },
      { eventId: 'e-2', payload: {} },
    ]);
    expect(send.mock.calls[0][0].topic).toBe('payments.approved');
    expect(
      send.mock.calls[0][0].messages.map((m: { headers: Record<string, string> }) => m.headers.authorization),
    ).toEqual(['Bearer x.y.z', 'Bearer x.y.z']);
    await new KafkaEventPublisher({ send }).publish('t', 'raw.tok.en', [{ eventId: 'e', payload: {} }]);
    expect(send.mock.calls[1][0].messages[0].headers.authorization).toBe('Bearer raw.tok.en');
  });
});
