// Values that follow a JSON schema from an OpenAPI document: a fast-check arbitrary of valid
// values, one deterministic valid value, and the check whether a value follows the schema (a
// success answer to a body its own schema refuses is a failure of the API).
import fc from 'fast-check';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** UUIDs in bodies and paths: mostly real objects (the caller's first, then another user's), sometimes unknown ones. */
const uuidArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constant('@ownAccount') },
  { weight: 3, arbitrary: fc.constant('@otherAccount') },
  { weight: 1, arbitrary: fc.nat(20).map((i) => `@ownPayment:${i}`) },
  { weight: 1, arbitrary: fc.nat(20).map((i) => `@otherPayment:${i}`) },
  { weight: 1, arbitrary: fc.uuid() },
);

/** A string shaped like the schema's example: each digit another digit, each letter another letter. */
const exampleShaped = (example) =>
  fc
    .tuple(
      ...[...example].map((ch) =>
        /\d/.test(ch)
          ? fc.integer({ min: 0, max: 9 }).map(String)
          : /[a-z]/.test(ch)
            ? fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz')
            : /[A-Z]/.test(ch)
              ? fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
              : fc.constant(ch),
      ),
    )
    .map((chars) => chars.join(''));

export function validArbitrary(schema) {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, s]) => [k, validArbitrary(s)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
        noNullPrototype: true,
      });
    }
    case 'array':
      return fc.array(validArbitrary(schema.items ?? {}), { maxLength: 3 });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      if (schema.format === 'uuid') return uuidArbitrary;
      if (typeof schema.example === 'string' && schema.example.length) return exampleShaped(schema.example);
      return fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 40, 40) });
  }
}

/**
 * A typical valid value, as a client following the document sends it: the caller's own object in
 * the first UUID field and another user's in the next, the first enum value, strings shaped like
 * their examples (random values of every schema type are `validArbitrary`'s job).
 */
export function typicalArbitrary(schema) {
  if (schema.type !== 'object') return validArbitrary(schema);
  const uuids = ['@ownAccount', '@otherAccount'];
  const fields = Object.entries(schema.properties ?? {}).map(([k, s]) => {
    if (s.format === 'uuid') return [k, fc.constant(uuids.shift() ?? '@ownAccount')];
    if (s.enum) return [k, fc.constant(s.enum[0])];
    return [k, validArbitrary(s)];
  });
  return fc.record(Object.fromEntries(fields), { noNullPrototype: true });
}

/** One valid value: the schema's examples, the caller's own object for the first UUID and another's after it. */
export function baseValue(schema, uuids = ['@ownAccount', '@otherAccount']) {
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'object') {
    const queue = [...uuids];
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, s]) => [
        k,
        s.format === 'uuid' ? (queue.shift() ?? '@ownAccount') : baseValue(s),
      ]),
    );
  }
  if (schema.type === 'array') return [];
  if (schema.example !== undefined) return schema.example;
  return schema.type === 'integer' || schema.type === 'number' ? 1 : schema.type === 'boolean' ? true : 'x';
}

/** Why a value does not follow the schema (undefined when it does). Refs count as valid UUIDs. */
export function schemaViolation(value, schema, at = 'body') {
  if (value === null) return schema.nullable ? undefined : `${at} is null`;
  if (schema.enum && !schema.enum.includes(value)) return `${at} is not one of ${schema.enum.join(', ')}`;
  const type = Array.isArray(value)
    ? 'array'
    : value && typeof value === 'object'
      ? '$raw' in value
        ? 'raw'
        : 'object'
      : typeof value;
  switch (schema.type) {
    case 'object': {
      if (type !== 'object') return `${at} is not an object`;
      for (const key of schema.required ?? []) if (!(key in value)) return `${at}.${key} is missing`;
      for (const [key, v] of Object.entries(value)) {
        const sub = schema.properties?.[key];
        if (!sub) return `${at}.${key} is not in the schema`;
        const why = schemaViolation(v, sub, `${at}.${key}`);
        if (why) return why;
      }
      return undefined;
    }
    case 'array':
      if (type !== 'array') return `${at} is not an array`;
      return value.map((v, i) => schemaViolation(v, schema.items ?? {}, `${at}[${i}]`)).find(Boolean);
    case 'integer':
    case 'number':
      return type === 'number' ? undefined : `${at} is not a number`;
    case 'boolean':
      return type === 'boolean' ? undefined : `${at} is not a boolean`;
    case 'string': {
      if (type !== 'string') return `${at} is not a string`;
      // JSON Schema counts characters (code points), not UTF-16 units: an emoji is one.
      const length = [...value].length;
      if (schema.maxLength !== undefined && length > schema.maxLength)
        return `${at} is longer than ${schema.maxLength}`;
      if (schema.minLength !== undefined && length < schema.minLength)
        return `${at} is shorter than ${schema.minLength}`;
      if (schema.format === 'uuid' && !value.startsWith('@') && !UUID.test(value)) return `${at} is not a UUID`;
      return undefined;
    }
    default:
      return undefined;
  }
}
