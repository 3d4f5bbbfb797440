// Generated requests for one operation, as small printable descriptions (a 12,000-level body is
// `{ deep: { depth: 12000 } }` until it is sent), so a failing one prints as a short
// counterexample. Each request is either valid for the schema or carries one kind of damage.
import fc from 'fast-check';
import {
  BAD_IDS,
  BAD_UNICODE,
  DEPTHS,
  LONG_STRINGS,
  MASS_ASSIGNMENT,
  MONEY_AND_NUMBERS,
  NOT_AN_OBJECT,
  RAW_PATH_IDS,
  WIDE_NAME_LENGTHS,
  WIDTHS,
  WRONG_CONTENT_TYPES,
  WRONG_TYPES,
} from './hostile-values.mjs';
import { baseValue, typicalArbitrary, validArbitrary } from './schema-values.mjs';

const JSON_TYPE = 'application/json';

/** Whether a request can differ in anything but its caller (if not, a few runs say all there is to say). */
export const hasInputs = (op) => op.pathParams.length > 0 || op.headerParams.length > 0 || op.method !== 'GET';

/** Who calls: the scopes an operation's description names pick the token kinds. */
export function callersOf(op) {
  if (op.scopes.includes('payments:approve'))
    return [
      { weight: 3, as: 'alice', approval: true },
      { weight: 2, as: 'bob', approval: true },
      { weight: 1, as: 'alice' },
      { weight: 1, as: 'bob' },
    ];
  if (op.scopes.includes('users:admin'))
    return [
      { weight: 3, as: 'admin' },
      { weight: 1, as: 'alice' },
      { weight: 1, as: 'bob' },
    ];
  return [
    { weight: 1, as: 'alice' },
    { weight: 1, as: 'bob' },
  ];
}

/** A path parameter: a real object (own, another user's), a valid unknown value, or junk. */
function paramArbitrary(param) {
  const real =
    param.schema.format === 'uuid' || param.name === 'id'
      ? ['@approvalPayment', '@ownPayment:0', '@ownAccount', '@otherAccount']
          .map((r) => fc.constant(r))
          .concat([fc.nat(30).map((i) => `@ownPayment:${i}`), fc.nat(30).map((i) => `@otherPayment:${i}`)])
      : [fc.constant('@ownSub'), fc.constant('@otherSub')];
  return fc.oneof(
    CROSS,
    { weight: 4, arbitrary: fc.oneof(...real) },
    { weight: 1, arbitrary: validArbitrary(param.schema) },
    { weight: 2, arbitrary: fc.constantFrom(...BAD_IDS) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_PATH_IDS).map((raw) => ({ raw })) },
  );
}

const RECORD = { noNullPrototype: true };
/** A failing request shrinks towards the first (most ordinary) choice of each part: the smallest counterexample names only the damage that matters. */
const CROSS = { withCrossShrink: true };
const pathArbitrary = (op) =>
  fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, paramArbitrary(p)])), RECORD);
const validPath = (op, caller = {}) =>
  Object.fromEntries(
    op.pathParams.map((p) => [
      p.name,
      p.schema.format === 'uuid' || p.name === 'id'
        ? caller.approval
          ? '@approvalPayment'
          : '@ownPayment:0'
        : '@ownSub',
    ]),
  );

function headerArbitrary(op) {
  const fields = {};
  for (const h of op.headerParams) {
    fields[h.name.toLowerCase()] = fc.oneof(
      CROSS,
      { weight: 8, arbitrary: fc.uuid() },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          undefined,
          '',
          'short',
          'a'.repeat(129),
          'a'.repeat(5000),
          'with spaces in it',
          "'; DROP TABLE payments;--",
          'fuzz-reused-key-0001',
        ),
      },
    );
  }
  return fc.record(fields, { requiredKeys: [], ...RECORD });
}

/** Body damage, one kind per request (`field` picks one of the schema's properties). */
function damagedBody(schema) {
  const props = Object.keys(schema.properties ?? {});
  const field = props.length ? fc.constantFrom(...props) : fc.constant('value');
  const valid = validArbitrary(schema);
  const withField = (values, kind) =>
    fc.tuple(valid, field, fc.constantFrom(...values)).map(([json, f, v]) => ({ kind, json: { ...json, [f]: v } }));
  return fc.oneof(
    { weight: 3, arbitrary: typicalArbitrary(schema).map((json) => ({ kind: 'typical', json })) },
    { weight: 2, arbitrary: valid.map((json) => ({ kind: 'valid', json })) },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.subarray(props, { minLength: 1 })).map(([json, drop]) => ({
        kind: 'missing',
        json: Object.fromEntries(Object.entries(json).filter(([k]) => !drop.includes(k))),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.subarray(Object.keys(MASS_ASSIGNMENT), { minLength: 1, maxLength: 4 }))
        .map(([json, extra]) => ({
          kind: 'mass-assignment',
          json: { ...json, ...Object.fromEntries(extra.map((k) => [k, MASS_ASSIGNMENT[k]])) },
        })),
    },
    { weight: 2, arbitrary: withField(WRONG_TYPES, 'wrong-type') },
    {
      weight: 1,
      arbitrary: valid.map((json) => ({ kind: 'all-null', json: Object.fromEntries(props.map((k) => [k, null])) })),
    },
    { weight: 2, arbitrary: withField(MONEY_AND_NUMBERS, 'money') },
    { weight: 2, arbitrary: withField(BAD_UNICODE, 'unicode') },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, field).map(([json, f]) => ({ kind: 'invalid-utf8', json, invalidUtf8: f })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, field, fc.constantFrom(...DEPTHS))
        .map(([json, f, depth]) => ({ kind: 'deep', json, deep: { depth, field: f } })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...DEPTHS).map((depth) => ({ kind: 'deep', deep: { depth } })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...WIDTHS), fc.constantFrom(...WIDE_NAME_LENGTHS))
        .map(([json, wide, wideNameLength]) => ({
          kind: 'wide',
          json,
          wide,
          ...(wideNameLength ? { wideNameLength } : {}),
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, field, fc.constantFrom(...LONG_STRINGS))
        .map(([json, f, n]) => ({ kind: 'long', json: { ...json, [f]: { $repeat: n } } })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...NOT_AN_OBJECT).map((text) => ({ kind: 'not-an-object', text })) },
  );
}

/** Requests for one operation: caller, path, headers, body and content type. */
export function requestArbitrary(op) {
  const caller = fc.oneof(CROSS, ...callersOf(op).map(({ weight, ...c }) => ({ weight, arbitrary: fc.constant(c) })));
  const hasBody = op.method !== 'GET';
  const body = op.bodySchema
    ? damagedBody(op.bodySchema)
    : fc.oneof(
        CROSS,
        { weight: 6, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom(...NOT_AN_OBJECT.slice(0, 8), '{"status":"settled"}')
            .map((text) => ({ kind: 'unexpected-body', text })),
        },
      );
  const contentType = fc.oneof(
    CROSS,
    { weight: 8, arbitrary: fc.constant(JSON_TYPE) },
    { weight: 1, arbitrary: fc.constantFrom(...WRONG_CONTENT_TYPES) },
  );
  return fc.record(
    {
      caller,
      params: pathArbitrary(op),
      headers: headerArbitrary(op),
      body: hasBody ? body : fc.constant(undefined),
      contentType: hasBody ? contentType : fc.constant(JSON_TYPE),
    },
    RECORD,
  );
}

/**
 * The catalogue every run sends first, whatever the seed: each damage kind at its most telling
 * values (the depths and widths that exhausted stacks and buffers, `null` and a lone surrogate in
 * every field, the same object in every id field, every mass-assignment field at once).
 */
export function catalogue(op) {
  const [first] = callersOf(op);
  const caller = { as: first.as, ...(first.approval ? { approval: true } : {}) };
  const headers = Object.fromEntries(op.headerParams.map((h) => [h.name.toLowerCase(), '@uniqueKey']));
  const request = (body, extra = {}) => ({
    caller,
    params: validPath(op, caller),
    headers,
    body,
    contentType: JSON_TYPE,
    ...extra,
  });
  const out = [];
  for (const p of op.pathParams) {
    for (const value of ['@otherAccount', '@otherPayment:0', '@otherSub', 'not-a-uuid', { raw: '%ED%A0%80' }])
      out.push(request(undefined, { params: { ...validPath(op, caller), [p.name]: value } }));
  }
  if (!op.bodySchema) return [...out, request(undefined)];
  const schema = op.bodySchema;
  const base = baseValue(schema);
  const props = Object.entries(schema.properties ?? {});
  out.push(request({ kind: 'valid', json: base }));
  for (const [name, s] of props) {
    out.push(request({ kind: 'null', json: { ...base, [name]: null } }));
    out.push(request({ kind: 'alone-null', json: { [name]: null } }));
    if (s.type === 'string') out.push(request({ kind: 'unicode', json: { ...base, [name]: '\ud800' } }));
  }
  const uuids = props.filter(([, s]) => s.format === 'uuid').map(([name]) => name);
  if (uuids.length > 1)
    out.push(
      request({ kind: 'same-object', json: { ...base, ...Object.fromEntries(uuids.map((n) => [n, '@ownAccount'])) } }),
    );
  out.push(request({ kind: 'mass-assignment', json: { ...base, ...MASS_ASSIGNMENT } }));
  out.push(request({ kind: 'money', json: { ...base, [props[0][0]]: { $raw: '1e309' } } }));
  for (const depth of [2000, 3000, 5000])
    out.push(request({ kind: 'deep', json: base, deep: { depth, field: props[0][0] } }));
  out.push(request({ kind: 'deep', deep: { depth: 12000 } }));
  for (const wide of [1900, 2100]) out.push(request({ kind: 'wide', json: base, wide }));
  out.push(request({ kind: 'wide', json: base, wide: 950, wideNameLength: 72 }));
  out.push(request({ kind: 'long', json: { ...base, [props[0][0]]: { $repeat: 200_000 } } }));
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', null])
    out.push(request({ kind: 'valid', json: base }, { contentType }));
  return out;
}
