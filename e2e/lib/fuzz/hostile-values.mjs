// What an attacker or a careless client sends instead of what the schema asks: the catalogues
// the generators pick from. `{ $raw: '...' }` is JSON text sent as is (a number JSON.stringify
// cannot write, like 1e309); strings starting with `@` are references to real objects, resolved
// when the request is sent (see references.mjs).

/** Numbers and money formats: exponent notation, floats, huge and negative values, locale forms. */
export const MONEY_AND_NUMBERS = [
  { $raw: '1e309' },
  { $raw: '-1e309' },
  { $raw: '1e-400' },
  { $raw: '9007199254740993' },
  { $raw: '123456789012345678901234567890' },
  { $raw: '-0' },
  { $raw: '0.1e1' },
  { $raw: '25.001' },
  { $raw: '1E2' },
  25,
  25.5,
  0.1 + 0.2,
  -1,
  0,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 63,
  5e-324,
  '1e309',
  '1e3',
  '1E+2',
  '-5.00',
  '0.00',
  '0',
  '00000000000025.00',
  '25,00',
  '1,000.00',
  ' 25.00',
  '25.00 ',
  '+25.00',
  '0x19',
  'NaN',
  'Infinity',
  '-Infinity',
  '25.',
  '.5',
  '25.001',
  '٢٥.٠٠',
  '２５.００',
  '9999999999999.99',
  '99999999999999.99',
  '123456789012345678901234567890.00',
  '-0.01',
  '0.001',
  '1_000.00',
  '25.00EUR',
  '€25.00',
];

/** Strings that are not well-formed Unicode, or Unicode a validator may mishandle. */
export const BAD_UNICODE = [
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  'alice\ud800@example.com',
  'alice@example.com\udfff',
  '\ud83d',
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  '\ufeff',
  'e\u0301',
  '\u{1F600}'.repeat(50),
  'ålice@exämple.com',
  '\u200b',
  '\uffff',
  '\u0085',
];

/** Every JSON type but the right one, and the values that break naive code. */
export const WRONG_TYPES = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  [],
  [null],
  {},
  { $gt: '' },
  ['a', 'b'],
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
];

/** Fields a client must never set (mass assignment): ownership, state, money, ids, timestamps, prototypes. */
export const MASS_ASSIGNMENT = {
  status: 'settled',
  ownerId: '@otherSub',
  ownerSub: '@otherSub',
  sub: '@otherSub',
  userId: '@otherSub',
  owner: '@otherSub',
  balance: '1000000.00',
  balanceMinor: '100000000',
  amountMinor: '1',
  id: '@otherAccount',
  accountId: '@otherAccount',
  region: 'us',
  role: 'admin',
  isAdmin: true,
  scope: 'users:admin',
  createdAt: '1970-01-01T00:00:00.000Z',
  approvedAt: '1970-01-01T00:00:00.000Z',
  version: 0,
  constructor: { prototype: { isAdmin: true } },
};

/** Ids for path parameters that are not ids of the caller's objects. */
export const BAD_IDS = [
  'not-a-uuid',
  '0',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'a11ce000-0000-4000-8000-00000000000',
  "' OR '1'='1",
  '1; DROP TABLE payments',
  '{{7*7}}',
  '$(id)',
  '<script>',
  'null',
  'undefined',
  'usr_alice',
  'usr_bob',
  'usr_admin',
  '*',
  '%',
  'x'.repeat(199),
  'x'.repeat(201),
  'x'.repeat(2000),
  'ä',
  '\u{1F600}',
  ' ',
  'a b',
];

/** Path parameter values sent exactly as written (already percent-encoded or deliberately not). */
export const RAW_PATH_IDS = [
  '%00',
  '%ED%A0%80',
  '%FF',
  '%zz',
  '%',
  '..',
  '.',
  '%2e%2e',
  '..%2f..%2fusers',
  '%2F',
  'a%0Ab',
  'a;b',
  'a?b=c',
  '#frag',
];

/** Content types an API that speaks only JSON must refuse; `null` sends none at all. */
export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonp',
  'application/json-patch+json',
  'text/json',
  'application/javascript',
  null,
  '',
  'application/json; charset=utf-16',
];

/** Bodies that are not a JSON object, as text (a leading BOM is not here: RFC 8259 §8.1 lets a parser ignore it). */
export const NOT_AN_OBJECT = [
  '',
  ' ',
  'null',
  'true',
  '0',
  '"x"',
  '[]',
  '[{}]',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  'garbage',
  '{"a":1}{"b":2}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":1,"a":2}',
  'NaN',
  '{"a":undefined}',
];

/** Nesting depths: within limits, near the stack, far beyond (the 3,000 and 12,000). */
export const DEPTHS = [32, 500, 2000, 3000, 5000, 12000];

/**
 * Counts of unknown fields: answers around and above the gateway's 64 KiB buffered-answer size,
 * and beyond a key limit. 950 fields with 72-character names (a ~73 KB body) stay under a
 * 1,000-key limit yet make a ~96 KB list of errors: a large answer through the gateway.
 */
export const WIDTHS = [50, 950, 1900, 2100, 5000];
export const WIDE_NAME_LENGTHS = [0, 72];

/** Lengths of a long string field: just over a typical limit, and far over the 100 KiB body limit. */
export const LONG_STRINGS = [81, 255, 4097, 60_000, 200_000];
