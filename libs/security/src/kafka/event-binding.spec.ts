import { createHash } from 'node:crypto';
import type { Principal } from '../verification/principal';
import { assertEventBoundToToken, eventBytes, eventDigest } from './event-binding';

const principal = (claims: Record<string, unknown>) => ({ sub: claims.sub, claims }) as unknown as Principal;
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    const { code, message } = e as { code: string; message: string };
    if (!/does not match/.test(message)) throw new Error(`${code} without a log reason`);
    return code;
  }
};

describe('event binding: an event is processed only under the token it was issued for', () => {
  const payload = { paymentId: 'p-1', userId: 'user-alice', amount: '10.00' };
  const bindings = { transaction_id: 'paymentId', sub: 'userId' };
  const p = principal({ sub: 'user-alice', transaction_id: 'p-1' });

  it('accepts an event whose fields match the bound claims', () => {
    expect(codeOf(() => assertEventBoundToToken(p, { payload, eventId: 'e-1', value: payload }, bindings))).toBe('OK');
  });

  it.each([
    ['another payment', { ...payload, paymentId: 'p-2' }],
    ['another user', { ...payload, userId: 'user-bob' }],
    ['missing field', { userId: 'user-alice' }],
    ['numeric field', { ...payload, paymentId: 1 }],
    ['payload not an object', 'p-1'],
    ['payload null', null],
    ['payload an array', ['p-1']],
  ])('rejects %s', (_name, bad) => {
    expect(codeOf(() => assertEventBoundToToken(p, { payload: bad, eventId: 'e-1', value: null }, bindings))).toBe(
      'ERR_EVENT_BINDING_MISMATCH',
    );
  });

  it('rejects when the token lacks a bound claim', () => {
    expect(
      codeOf(() =>
        assertEventBoundToToken(principal({ sub: 'user-alice' }), { payload, eventId: 'e', value: null }, bindings),
      ),
    ).toBe('ERR_EVENT_BINDING_MISMATCH');
  });

  it('parses Buffer and string payloads (keepBinary consumers)', () => {
    const raw = Buffer.from(JSON.stringify(payload));
    expect(codeOf(() => assertEventBoundToToken(p, { payload: raw, eventId: 'e', value: raw }, bindings))).toBe('OK');
    expect(
      codeOf(() => assertEventBoundToToken(p, { payload: raw.toString(), eventId: 'e', value: raw }, bindings)),
    ).toBe('OK');
    expect(
      codeOf(() => assertEventBoundToToken(p, { payload: '{not json', eventId: 'e', value: null }, bindings)),
    ).toBe('ERR_EVENT_BINDING_MISMATCH');
  });

  it('checks event_id and event_digest only when the token carries them', () => {
    const raw = Buffer.from(JSON.stringify(payload));
    const digest = createHash('sha256').update(raw).digest('base64url');
    const bound = principal({ sub: 'user-alice', event_id: 'e-1', event_digest: digest });
    expect(codeOf(() => assertEventBoundToToken(bound, { payload, eventId: 'e-1', value: payload }))).toBe('OK');
    expect(codeOf(() => assertEventBoundToToken(bound, { payload, eventId: 'e-1', value: raw }))).toBe('OK');
    expect(codeOf(() => assertEventBoundToToken(bound, { payload, eventId: 'e-2', value: payload }))).toBe(
      'ERR_EVENT_BINDING_MISMATCH',
    );
    expect(codeOf(() => assertEventBoundToToken(bound, { payload, eventId: undefined, value: payload }))).toBe(
      'ERR_EVENT_BINDING_MISMATCH',
    );
    expect(
      codeOf(() => assertEventBoundToToken(bound, { payload, eventId: 'e-1', value: { ...payload, amount: '99.00' } })),
    ).toBe('ERR_EVENT_BINDING_MISMATCH');
    expect(
      codeOf(() => assertEventBoundToToken(principal({ sub: 'u' }), { payload, eventId: undefined, value: null })),
    ).toBe('OK');
  });

  it('rejects a token that names an event without its bytes, or bytes without the event', () => {
    const raw = Buffer.from(JSON.stringify(payload));
    expect(
      codeOf(() =>
        assertEventBoundToToken(principal({ sub: 'u', event_id: 'e-1' }), { payload, eventId: 'e-1', value: raw }),
      ),
    ).toBe('ERR_EVENT_BINDING_MISMATCH');
    expect(
      codeOf(() =>
        assertEventBoundToToken(principal({ sub: 'u', event_digest: eventDigest(raw) }), {
          payload,
          eventId: 'e-1',
          value: raw,
        }),
      ),
    ).toBe('ERR_EVENT_BINDING_MISMATCH');
  });

  it('digests exact bytes, strings as UTF-8 and parsed JSON by re-serialization', () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64url');
    expect(eventDigest(Buffer.from('{"a":1}'))).toBe(sha(Buffer.from('{"a":1}')));
    expect(eventDigest('{"a":1}')).toBe(sha(Buffer.from('{"a":1}')));
    expect(eventDigest({ a: 1 })).toBe(sha(Buffer.from('{"a":1}')));
    expect(eventBytes(undefined)).toEqual(Buffer.alloc(0));
    expect(eventBytes(null).toString()).toBe('null');
  });
});
