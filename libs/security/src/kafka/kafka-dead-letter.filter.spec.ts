import { Logger } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { KafkaContext } from '@nestjs/microservices';
import { ErrorCode, EventRejectedError } from '../errors/security-errors';
import { KafkaDeadLetterFilter } from './kafka-dead-letter.filter';

describe('KafkaDeadLetterFilter (no broker)', () => {
  const filter = new KafkaDeadLetterFilter();
  const message = {
    offset: '7',
    key: null,
    value: { paymentId: 'p-1' },
    headers: { authorization: 'Bearer t.o.k' },
    timestamp: '0',
    attributes: 0,
  };
  const hostWith = (send: jest.Mock, type = 'rpc') => {
    const kafka = new KafkaContext([
      message as never,
      3,
      'payments.approved',
      {} as never,
      async () => {},
      { send } as never,
    ]);
    const host = new ExecutionContextHost([message.value, kafka]);
    host.setType(type as never);
    return host;
  };
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('answers with a Promise (Nest awaits it for event handlers; an Observable it would not)', () => {
    const result = filter.catch(
      new EventRejectedError(ErrorCode.EXPIRED, 'x'),
      hostWith(jest.fn().mockResolvedValue([])),
    );
    expect(result).toBeInstanceOf(Promise);
    const rethrown = filter.catch(new Error('db'), hostWith(jest.fn()));
    expect(rethrown).toBeInstanceOf(Promise);
    return rethrown.catch(() => undefined);
  });

  it('tells the observer (metrics) of each dead letter written, with its topic and code, and not of a failed write', async () => {
    const observer = { onVerified: jest.fn(), onRefused: jest.fn(), onJwksFetch: jest.fn(), onDeadLetter: jest.fn() };
    const counted = new KafkaDeadLetterFilter(observer);
    await counted.catch(new EventRejectedError(ErrorCode.EXPIRED, 'x'), hostWith(jest.fn().mockResolvedValue([])));
    expect(observer.onDeadLetter).toHaveBeenCalledWith('payments.approved', 'ERR_JWT_EXPIRED');
    const failing = jest.fn().mockRejectedValue(new Error('broker down'));
    await expect(counted.catch(new EventRejectedError(ErrorCode.EXPIRED, 'x'), hostWith(failing))).rejects.toThrow(
      'broker down',
    );
    expect(observer.onDeadLetter).toHaveBeenCalledTimes(1);
  });

  it('writes a security failure to <topic>.dlq and completes only after the write', async () => {
    const send = jest.fn().mockResolvedValue([]);
    await expect(
      filter.catch(new EventRejectedError(ErrorCode.EXPIRED, 'token expired'), hostWith(send)),
    ).resolves.toBeUndefined();
    const record = send.mock.calls[0][0];
    expect(record.topic).toBe('payments.approved.dlq');
    expect(record.messages[0].headers).toMatchObject({
      'dlq-reason': 'ERR_JWT_EXPIRED',
      'dlq-original-partition': '3',
      'dlq-original-offset': '7',
    });
    expect((Logger.prototype.warn as jest.Mock).mock.calls[0][0]).toBe(
      'ERR_JWT_EXPIRED: token expired [event payments.approved@3:7 -> payments.approved.dlq]',
    );
  });

  it('fails (so Kafka redelivers) when the dead-letter write fails', async () => {
    const send = jest.fn().mockRejectedValue(new Error('broker down'));
    await expect(filter.catch(new EventRejectedError(ErrorCode.EXPIRED, 'x'), hostWith(send))).rejects.toThrow(
      'broker down',
    );
  });

  it('rethrows other errors and non-rpc contexts untouched, writing nothing', async () => {
    const send = jest.fn();
    const dbError = new Error('database down');
    await expect(filter.catch(dbError, hostWith(send))).rejects.toBe(dbError);
    const security = new EventRejectedError(ErrorCode.EXPIRED, 'x');
    await expect(filter.catch(security, hostWith(send, 'http'))).rejects.toBe(security);
    expect(send).not.toHaveBeenCalled();
  });
});
