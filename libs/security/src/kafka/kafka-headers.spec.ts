import { readHeader } from './kafka-headers';

describe('readHeader: Kafka headers in any shape, never a crash', () => {
  it('decodes Buffers, strings and single-element arrays', () => {
    expect(readHeader({ a: Buffer.from('Bearer x') }, 'a')).toBe('Bearer x');
    expect(readHeader({ a: 'text' }, 'a')).toBe('text');
    expect(readHeader({ a: [Buffer.from('one')] }, 'a')).toBe('one');
  });

  it.each([
    ['missing headers', undefined],
    ['null headers', null],
    ['headers not an object', 'authorization'],
    ['missing header', {}],
    ['undefined value', { a: undefined }],
    ['null value', { a: null }],
    ['repeated header (ambiguous)', { a: [Buffer.from('x'), Buffer.from('y')] }],
    ['empty array', { a: [] }],
    ['object parsed by Nest from JSON-looking text', { a: { alg: 'none' } }],
    ['number', { a: 42 }],
    ['oversized Buffer', { a: Buffer.alloc(17 * 1024, 97) }],
    ['oversized string', { a: 'a'.repeat(17 * 1024) }],
  ])('returns undefined for %s', (_name, headers) => {
    expect(readHeader(headers, 'a')).toBeUndefined();
  });

  it('accepts exactly 16 KiB', () => {
    expect(readHeader({ a: Buffer.alloc(16 * 1024, 97) }, 'a')).toHaveLength(16 * 1024);
    expect(readHeader({ a: 'a'.repeat(16 * 1024) }, 'a')).toHaveLength(16 * 1024);
  });

  it('reads own properties only (no prototype tricks)', () => {
    expect(readHeader(Object.create({ a: 'inherited' }), 'a')).toBeUndefined();
    expect(readHeader({}, 'toString')).toBeUndefined();
  });
});
