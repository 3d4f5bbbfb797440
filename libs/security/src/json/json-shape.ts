/**
 * Limits on the SHAPE of a JSON text, checked on the raw text BEFORE it is parsed or transformed.
 *
 * Why: JSON.parse itself copes with deep nesting, but almost everything after it recurses
 * (class-transformer, class-validator, JSON.stringify, structured logging): an array nested a few
 * thousand levels deep exhausted the stack of a service (502) and of the gateway's forwarder (500),
 * and a body of 100,000 tiny keys costs CPU in every later step. Checking the text first, in one
 * linear pass with no recursion, refuses such input at the cost of a scan.
 *
 * It lives in libs/security (which imports no other workspace lib) so that both the HTTP body
 * parser of libs/platform and the library's own Kafka event deserializer use the same code.
 */
export interface JsonShapeLimits {
  /** Containers (objects and arrays) open at once: `{}` is 1, `{"a":[1]}` is 2. */
  maxDepth: number;
  /** Members of any one object (duplicate names count each time). */
  maxObjectKeys: number;
  /** Members of all objects of the document together. */
  maxTotalKeys: number;
  /** Items of any one array. */
  maxArrayItems: number;
  /** Characters of any one string (names included), as written in the JSON text, escapes included. */
  maxStringLength: number;
}

/**
 * Defaults for a bank API: its bodies are flat DTOs a few levels deep with tens of fields and
 * short strings. Generous enough for any legitimate payment, profile or event, far below what
 * exhausts a stack (a few thousand levels) or makes validation slow.
 */
export const DEFAULT_JSON_SHAPE_LIMITS: Readonly<JsonShapeLimits> = Object.freeze({
  maxDepth: 32,
  maxObjectKeys: 1_000,
  maxTotalKeys: 10_000,
  maxArrayItems: 1_000,
  maxStringLength: 64 * 1024,
});

export type JsonShapeLimit = keyof JsonShapeLimits;

/** The first limit a text exceeds. `message` names the limit and its value, never the input. */
export interface JsonShapeViolation {
  limit: JsonShapeLimit;
  max: number;
  message: string;
}

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const COMMA = 0x2c; // ,
const COLON = 0x3a; // :
const IN_OBJECT = 1;
const IN_ARRAY = 2;
let kinds = new Uint8Array(DEFAULT_JSON_SHAPE_LIMITS.maxDepth + 1);
let counts = new Uint32Array(DEFAULT_JSON_SHAPE_LIMITS.maxDepth + 1);

/**
 * One pass over `text` tracking string/escape state, the open containers and their member counts;
 * it stops at the first violation. It does not validate the syntax: on valid JSON its counts are
 * exact, and invalid JSON is left to the parser, which refuses it anyway (so a text that passes
 * here and parses respects every limit). Memory is bounded by `maxDepth`, not by the input.
 */
export function findJsonShapeViolation(
  text: string,
  limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS,
): JsonShapeViolation | undefined {
  const { maxDepth, maxObjectKeys, maxTotalKeys, maxArrayItems, maxStringLength } = limits;
  // kinds[d] / counts[d]: the container open at depth d (1-based) and its keys, or its commas.
  // Reused between calls (the function is synchronous, so never re-entered): allocating two typed
  // arrays cost as much as scanning a whole payment body.
  if (kinds.length <= maxDepth) {
    kinds = new Uint8Array(maxDepth + 1);
    counts = new Uint32Array(maxDepth + 1);
  }
  const length = text.length;
  let depth = 0;
  let totalKeys = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote natively; a quote preceded by an odd run of backslashes is escaped.
      let end = text.indexOf('"', i + 1);
      while (end !== -1) {
        let b = end - 1;
        while (text.charCodeAt(b) === BACKSLASH) b--;
        if ((end - 1 - b) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) return undefined; // unterminated: not JSON, the parser refuses it
      if (end - i - 1 > maxStringLength) return violation('maxStringLength', maxStringLength);
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === maxDepth) return violation('maxDepth', maxDepth);
      depth++;
      kinds[depth] = c === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY;
      counts[depth] = 0;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return undefined; // unbalanced: not JSON, the parser refuses it
      depth--;
    } else if (c === COLON) {
      // In valid JSON a colon outside strings ends exactly one object member's name.
      if (kinds[depth] !== IN_OBJECT) continue;
      // `!`: depth <= maxDepth (checked where a container opens) and the arrays hold maxDepth + 1.
      if (++counts[depth]! > maxObjectKeys) return violation('maxObjectKeys', maxObjectKeys);
      if (++totalKeys > maxTotalKeys) return violation('maxTotalKeys', maxTotalKeys);
    } else if (c === COMMA && kinds[depth] === IN_ARRAY) {
      // n commas separate n + 1 items (a comma is always followed by an item in valid JSON).
      if (++counts[depth]! >= maxArrayItems) return violation('maxArrayItems', maxArrayItems);
    }
  }
  return undefined;
}

const MESSAGES: Record<JsonShapeLimit, (max: number) => string> = {
  maxDepth: (max) => `JSON nested deeper than ${max} levels`,
  maxObjectKeys: (max) => `JSON object with more than ${max} keys`,
  maxTotalKeys: (max) => `JSON with more than ${max} keys in total`,
  maxArrayItems: (max) => `JSON array with more than ${max} items`,
  maxStringLength: (max) => `JSON string longer than ${max} characters`,
};

function violation(limit: JsonShapeLimit, max: number): JsonShapeViolation {
  return { limit, max, message: MESSAGES[limit](max) };
}
