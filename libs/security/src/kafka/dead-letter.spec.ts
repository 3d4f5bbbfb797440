import { ErrorCode, EventRejectedError, InvalidTokenError } from '../errors/security-errors';
import { tokenFingerprint } from '../http/token-fingerprint';
import { deadLetterRecord, shouldDeadLetter } from './dead-letter';

describe('dead-letter decision and record', () => {
  it('dead-letters security failures only; other errors are retried', () => {
    expect(shouldDeadLetter(new InvalidTokenError(ErrorCode.EXPIRED, 'x'))).toBe(true);
    expect(shouldDeadLetter(new EventRejectedError(ErrorCode.EVENT_BINDING_MISMATCH, 'x'))).toBe(true);
    expect(shouldDeadLetter(new Error('database down'))).toBe(false);
    expect(shouldDeadLetter(undefined)).toBe(false);
  });

  it('keeps bytes and headers, removes the token, adds reason and origin', () => {
    const record = deadLetterRecord(
      'payments.approved',
      2,
      {
        key: Buffer.from('k'),
        value: { paymentId: 'p-1' },
        offset: '41',
        headers: {
          authorization: 'bearer  t.o.k',
          'event-id': Buffer.from('e-1'),
          odd: { a: 1 } as never,
          gone: undefined,
          nil: null as never,
        },
      },
      new InvalidTokenError(ErrorCode.EXPIRED, 'token expired'),
    );
    expect(record.topic).toBe('payments.approved.dlq');
    const [m] = record.messages;
    if (m === undefined) throw new Error('no dead-letter message');
    expect(m.key).toEqual(Buffer.from('k'));
    expect(m.value).toEqual(Buffer.from('{"paymentId":"p-1"}'));
    expect(m.headers).toEqual({
      'event-id': 'e-1',
      odd: '{"a":1}',
      'dlq-reason': 'ERR_JWT_EXPIRED',
      'dlq-original-topic': 'payments.approved',
      'dlq-original-partition': '2',
      'dlq-original-offset': '41',
      'dlq-token-sha256': tokenFingerprint('t.o.k'),
    });
    expect(JSON.stringify(record)).not.toContain('t.o.k');
  });

  it('handles a message without headers, key or token', () => {
    const [m] = deadLetterRecord(
      't',
      0,
      { value: null },
      new EventRejectedError(ErrorCode.TOKEN_MISSING, 'x'),
    ).messages;
    expect(m).toEqual({
      key: null,
      value: null,
      headers: expect.objectContaining({
        'dlq-reason': 'ERR_TOKEN_MISSING',
        'dlq-token-sha256': '',
        'dlq-original-offset': '',
      }),
    });
    expect(
      deadLetterRecord('t', 0, { key: 'k', value: 'text' }, new EventRejectedError(ErrorCode.TOKEN_MISSING, 'x'))
        .messages[0],
    ).toMatchObject({ key: 'k', value: Buffer.from('text') });
  });
});
