import { DEFAULT_JSON_SHAPE_LIMITS, findJsonShapeViolation, type JsonShapeLimits } from './json-shape';

const limits: JsonShapeLimits = {
  maxDepth: 4,
  maxObjectKeys: 3,
  maxTotalKeys: 5,
  maxArrayItems: 3,
  maxStringLength: 8,
};
const check = (text: string, l: JsonShapeLimits = limits) => findJsonShapeViolation(text, l)?.limit ?? 'ok';

const nested = (levels: number, open = '[', close = ']', inner = '') =>
  open.repeat(levels) + inner + close.repeat(levels);
const objectWithKeys = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
const arrayOf = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;

describe('findJsonShapeViolation: one linear pass over the raw text, before any parsing', () => {
  it.each([
    ['below', 3, 'ok'],
    ['at', 4, 'ok'],
    ['above', 5, 'maxDepth'],
  ])('depth %s its limit (%i levels of arrays and of objects)', (_name, levels, expected) => {
    expect(check(nested(levels))).toBe(expected);
    expect(check(nested(levels - 1, '{"a":', '}', '[]'))).toBe(expected);
    expect(check(`[{"a":${nested(levels - 3, '[', ']', '{}')}}]`)).toBe(expected);
  });

  it('counts depth as containers open at once, not containers in total', () => {
    expect(check('[[[[1]]],[[[2]]],{"a":{"b":{"c":1}}}]')).toBe('ok');
  });

  it.each([
    ['below', 2, 'ok'],
    ['at', 3, 'ok'],
    ['above', 4, 'maxObjectKeys'],
  ])('keys of one object %s its limit', (_name, keys, expected) => {
    expect(check(objectWithKeys(keys))).toBe(expected);
    // The limit is per object: siblings and parents have their own count.
    expect(check(`{"a":${objectWithKeys(keys)}}`)).toBe(expected);
  });

  it('counts duplicate names each time (JSON.parse would keep only the last)', () => {
    expect(check('{"a":1,"a":2,"a":3,"a":4}')).toBe('maxObjectKeys');
  });

  it.each([
    ['below', 4, 'ok'],
    ['at', 5, 'ok'],
    ['above', 6, 'maxTotalKeys'],
  ])('keys of the whole document %s the total limit', (_name, keys, expected) => {
    const objects = Array.from({ length: keys }, (_, i) => `{"k":${i}}`).join(',');
    expect(check(`[${objects}]`, { ...limits, maxArrayItems: 100 })).toBe(expected);
  });

  it.each([
    ['below', 2, 'ok'],
    ['at', 3, 'ok'],
    ['above', 4, 'maxArrayItems'],
  ])('items of one array %s its limit', (_name, items, expected) => {
    expect(check(arrayOf(items))).toBe(expected);
    expect(check(`{"a":[${arrayOf(items)}]}`)).toBe(expected);
    expect(
      check(`[${Array.from({ length: items }, () => '{"a":"b"}').join(',')}]`, { ...limits, maxTotalKeys: 100 }),
    ).toBe(expected);
  });

  it('counts items per array, an empty array has none', () => {
    expect(check('[[1,2,3],[4,5,6],[]]')).toBe('ok');
    expect(check('[]')).toBe('ok');
    expect(check('[[]]')).toBe('ok');
  });

  it.each([
    ['below', 7, 'ok'],
    ['at', 8, 'ok'],
    ['above', 9, 'maxStringLength'],
  ])('a string %s its length limit, as a value, a name or the whole document', (_name, length, expected) => {
    const s = 'x'.repeat(length);
    expect(check(`{"a":"${s}"}`)).toBe(expected);
    expect(check(`{"${s}":1}`)).toBe(expected);
    expect(check(`"${s}"`)).toBe(expected);
  });

  it('measures a string as written, escapes included', () => {
    expect(check('["\\u0041\\n"]')).toBe('ok'); // 8 characters as written
    expect(check('["\\u0041\\n!"]')).toBe('maxStringLength');
  });

  it('ignores brackets, colons and commas inside strings', () => {
    expect(check('{"a":"[[[[[[","b":"{{{{{{"}')).toBe('ok');
    expect(check('["::::,,,,", "}}}}]]]]"]', { ...limits, maxArrayItems: 2 })).toBe('ok');
    // Not fooled by closing brackets in a string either: they do not reduce the depth.
    expect(check('[[[["]]]]"]]]]')).toBe('ok');
    expect(check('[[[["]]]]",[1]]]]]')).toBe('maxDepth');
  });

  it('tracks escaped quotes and escaped backslashes', () => {
    // "a\"[[[[[" is one string: the brackets are inside it.
    expect(check('["a\\"[[[[["]')).toBe('ok');
    // "a\\" ends at the second quote: the brackets after it are structure.
    expect(check('["a\\\\",[[[[1]]]]]')).toBe('maxDepth');
    expect(check('["a\\\\\\"[[[[["]', { ...limits, maxStringLength: 100 })).toBe('ok');
    // A long run of escaped quotes and backslashes is still one string.
    expect(check(`["${'\\"\\\\'.repeat(100)}"]`, DEFAULT_JSON_SHAPE_LIMITS)).toBe('ok');
    expect(check(`["${'\\"\\\\'.repeat(100)}"]`)).toBe('maxStringLength');
  });

  it('leaves invalid JSON to the parser, which refuses it', () => {
    for (const text of ['', '"unterminated [[[[[[[', ']]]]][[[[', '{"a":1', 'not json', '{"a" 1}']) {
      expect(check(text)).toBe('ok');
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    }
  });

  it('names the limit and its value, never the input', () => {
    const secret = 'x'.repeat(100) + 'SECRET';
    const messages = [
      findJsonShapeViolation(nested(5), limits),
      findJsonShapeViolation(objectWithKeys(4), limits),
      findJsonShapeViolation(`[${Array.from({ length: 6 }, () => '{"k":1}').join(',')}]`, {
        ...limits,
        maxArrayItems: 100,
      }),
      findJsonShapeViolation(arrayOf(4), limits),
      findJsonShapeViolation(`["${secret}"]`, limits),
    ].map((v) => v?.message);
    expect(messages).toEqual([
      'JSON nested deeper than 4 levels',
      'JSON object with more than 3 keys',
      'JSON with more than 5 keys in total',
      'JSON array with more than 3 items',
      'JSON string longer than 8 characters',
    ]);
    expect(findJsonShapeViolation(`["${secret}"]`, limits)).toEqual({
      limit: 'maxStringLength',
      max: 8,
      message: 'JSON string longer than 8 characters',
    });
  });

  it('accepts a typical payment body with the defaults, and what JSON.parse accepts is within them', () => {
    const payment = JSON.stringify({
      sourceAccountId: 'a'.repeat(36),
      destinationAccountId: 'b'.repeat(36),
      amountMinor: 12_500,
      currency: 'EUR',
      reference: 'Rent "March" [flat 2]',
    });
    expect(findJsonShapeViolation(payment)).toBeUndefined();
  });

  it('stops at the first violation: 100,000 levels return at once, with no recursion', () => {
    const deep = nested(100_000);
    const start = performance.now();
    expect(findJsonShapeViolation(deep)?.limit).toBe('maxDepth');
    expect(findJsonShapeViolation(nested(100_000, '{"a":', '}'))?.limit).toBe('maxDepth');
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('scans a large legitimate body in linear time', () => {
    const big = JSON.stringify({
      items: Array.from({ length: 1_000 }, (_, i) => ({ id: `item-${i}`, note: 'n'.repeat(80) })),
    });
    const start = performance.now();
    expect(findJsonShapeViolation(big, { ...DEFAULT_JSON_SHAPE_LIMITS, maxTotalKeys: 5_000 })).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('findJsonShapeViolation agrees with a recursive measure of the parsed value (property)', () => {
  // Reference: the same limits measured on the value JSON.parse returns (strings as JSON.stringify writes them).
  const measure = (
    value: unknown,
    depth = 0,
    acc = { depth: 0, objectKeys: 0, totalKeys: 0, arrayItems: 0, stringLength: 0 },
  ) => {
    if (typeof value === 'string') acc.stringLength = Math.max(acc.stringLength, JSON.stringify(value).length - 2);
    if (value === null || typeof value !== 'object') return acc;
    acc.depth = Math.max(acc.depth, depth + 1);
    if (Array.isArray(value)) {
      acc.arrayItems = Math.max(acc.arrayItems, value.length);
      for (const item of value) measure(item, depth + 1, acc);
    } else {
      const keys = Object.keys(value);
      acc.objectKeys = Math.max(acc.objectKeys, keys.length);
      acc.totalKeys += keys.length;
      for (const key of keys) {
        measure(key, depth, acc);
        measure((value as Record<string, unknown>)[key], depth + 1, acc);
      }
    }
    return acc;
  };
  const within = (m: ReturnType<typeof measure>, l: JsonShapeLimits) =>
    m.depth <= l.maxDepth &&
    m.objectKeys <= l.maxObjectKeys &&
    m.totalKeys <= l.maxTotalKeys &&
    m.arrayItems <= l.maxArrayItems &&
    m.stringLength <= l.maxStringLength;

  it('refuses exactly the documents over a limit', async () => {
    const fc = await import('fast-check');
    const small = fc.record({
      maxDepth: fc.integer({ min: 1, max: 6 }),
      maxObjectKeys: fc.integer({ min: 1, max: 5 }),
      maxTotalKeys: fc.integer({ min: 1, max: 12 }),
      maxArrayItems: fc.integer({ min: 1, max: 5 }),
      maxStringLength: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 7 }), small, fc.boolean(), (value, l, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(findJsonShapeViolation(text, l) === undefined).toBe(within(measure(JSON.parse(text)), l));
      }),
      { seed: 18, numRuns: 2_000 },
    );
  });
});
