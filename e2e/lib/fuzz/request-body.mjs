// Turns a body description into the bytes sent: references resolved, raw JSON numbers, long
// strings, nesting thousands of levels deep and thousands of unknown fields built as text (never
// by recursion), invalid UTF-8 spliced in as bytes.

const RAW = (i) => `__fuzz_raw_${i}__`;
const DEEP = '__fuzz_deep__';
const BYTES = '__fuzz_bytes__';
/** Not UTF-8: a stray continuation byte, an overlong '/', a truncated sequence and a CESU-8 surrogate. */
const INVALID_UTF8 = Buffer.from([0x61, 0xff, 0xfe, 0xc0, 0xaf, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x62]);

/** `{ $raw }` become placeholders and `{ $repeat }` long strings, in a shallow JSON value. */
function prepare(value, raws) {
  if (Array.isArray(value)) return value.map((v) => prepare(v, raws));
  if (value && typeof value === 'object') {
    if ('$raw' in value) return RAW(raws.push(value.$raw) - 1);
    if ('$repeat' in value) return 'x'.repeat(value.$repeat);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prepare(v, raws)]));
  }
  return value;
}

/** The request body as bytes, or undefined for none. `resolve` turns `@references` into real ids. */
export function renderBody(body, resolve) {
  if (!body) return undefined;
  if (body.text !== undefined) return Buffer.from(body.text);
  if (body.deep && !body.deep.field)
    return Buffer.from(`${'{"a":'.repeat(body.deep.depth)}1${'}'.repeat(body.deep.depth)}`);
  const raws = [];
  const json = prepare(resolve(body.json ?? {}), raws);
  if (body.deep) json[body.deep.field] = DEEP;
  if (body.invalidUtf8) json[body.invalidUtf8] = BYTES;
  // Unknown fields; long names make a large error answer from fewer fields than a key limit allows.
  if (body.wide)
    for (let i = 0; i < body.wide; i++)
      json[`unknownField${String(i).padStart(5, '0')}`.padEnd(body.wideNameLength ?? 0, 'x')] = true;
  let text = JSON.stringify(json);
  raws.forEach((raw, i) => (text = text.replace(`"${RAW(i)}"`, raw)));
  if (body.deep) text = text.replace(`"${DEEP}"`, `${'['.repeat(body.deep.depth)}${']'.repeat(body.deep.depth)}`);
  if (body.invalidUtf8) {
    const [before, after] = text.split(BYTES);
    return Buffer.concat([Buffer.from(before), INVALID_UTF8, Buffer.from(after)]);
  }
  return Buffer.from(text);
}
