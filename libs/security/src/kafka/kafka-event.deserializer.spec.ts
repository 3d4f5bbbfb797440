import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { KafkaContext } from '@nestjs/microservices';
import { resolveSecurityOptions } from '../config/security-options';
import { DEFAULT_JSON_SHAPE_LIMITS } from '../json/json-shape';
import type { AccessTokenVerifier } from '../verification/access-token-verifier';
import { KafkaEventDeserializer, RefusedEventPayload } from './kafka-event.deserializer';
import { KafkaEventGuard } from './kafka-event.guard';
import { SecureEventPattern } from './secure-event-pattern.decorator';

const deserializer = new KafkaEventDeserializer({ ...DEFAULT_JSON_SHAPE_LIMITS, maxDepth: 3 });
const dataOf = (value: unknown) => deserializer.deserialize({ value }, { channel: 'payments.approved' });

describe('KafkaEventDeserializer: the shape limits on the raw bytes, then JSON.parse', () => {
  it('parses a payload within the limits, keyed by its topic', () => {
    expect(dataOf(Buffer.from('{"paymentId":"p-1","n":[[1]]}'))).toEqual({
      pattern: 'payments.approved',
      data: { paymentId: 'p-1', n: [[1]] },
    });
  });

  it('refuses an over-limit payload without parsing it, and never throws', () => {
    const { data } = dataOf(Buffer.from(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
    expect(data).toBeInstanceOf(RefusedEventPayload);
    expect((data as RefusedEventPayload).violation).toEqual({
      limit: 'maxDepth',
      max: 3,
      message: 'JSON nested deeper than 3 levels',
    });
    expect(new KafkaEventDeserializer().decode(Buffer.from(`[${'1,'.repeat(1_000)}1]`))).toBeInstanceOf(
      RefusedEventPayload,
    );
  });

  it('decodes everything else as Nest does: text stays text, invalid JSON stays text, schema payloads stay bytes', () => {
    const schemaPayload = Buffer.from([0, 1, 2]);
    expect(dataOf(Buffer.from('plain text')).data).toBe('plain text');
    expect(dataOf(Buffer.from('{not json')).data).toBe('{not json');
    expect(dataOf(schemaPayload).data).toBe(schemaPayload);
    expect(dataOf(null).data).toBeNull();
    expect(dataOf('[1,2]').data).toEqual([1, 2]);
  });
});

describe('KafkaEventGuard: a refused payload is rejected before its token is even read', () => {
  class Handlers {
    @SecureEventPattern('payments.approved') approved() {
      return 'handled';
    }
  }
  it('throws ERR_EVENT_PAYLOAD_SHAPE (dead-lettered by the filter), naming the limit', async () => {
    const verifier = { verify: jest.fn() } as unknown as AccessTokenVerifier;
    const guard = new KafkaEventGuard(
      new Reflector(),
      verifier,
      resolveSecurityOptions({ issuer: 'https://as.test', jwksUri: 'https://as.test/jwks', audiences: ['api'] }, {}),
    );
    const kafka = new KafkaContext([
      { offset: '7', key: null, value: Buffer.from('[[[[]]]]'), headers: {} } as never,
      0,
      'payments.approved',
      {} as never,
      async () => undefined,
      {} as never,
    ]);
    const host = new ExecutionContextHost(
      [dataOf(Buffer.from('[[[[]]]]')).data, kafka],
      Handlers,
      Handlers.prototype.approved as never,
    );
    host.setType('rpc');
    await expect(guard.canActivate(host)).rejects.toMatchObject({
      name: 'EventRejectedError',
      code: 'ERR_EVENT_PAYLOAD_SHAPE',
      message: 'event payload refused: JSON nested deeper than 3 levels',
    });
    expect(verifier.verify).not.toHaveBeenCalled();
  });
});
