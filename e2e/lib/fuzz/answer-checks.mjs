// What every answer must be, whatever was sent: never a 5xx, never empty, every 4xx an RFC 9457
// problem without internals, every success JSON that shows only the caller's own objects and
// that answers a request its schema accepts.
import { schemaViolation } from './schema-values.mjs';

/** Traces of the implementation an answer must never carry (stack frames, SQL, ORM and runtime errors, file paths). */
const INTERNALS = [
  /QueryFailedError|EntityNotFound|TypeORM|node_modules|"stack"\s*:|\bat (?:async )?[\w$.<>]+ \(/,
  /[\w-]+\.(?:ts|js|mjs|cjs):\d+|\/(?:work|home|usr|opt|app|src|dist)\//,
  /\b(?:TypeError|RangeError|URIError|ReferenceError|SyntaxError|ECONNREFUSED|ECONNRESET)\b/,
  /duplicate key|violates .* constraint|syntax error at|relation "|column "|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.*\bSET\b/,
];

const JSON_TYPE = /^application\/json\s*(;|$)/i;

const wellFormed = (value) =>
  typeof value === 'string'
    ? value.isWellFormed()
    : value && typeof value === 'object'
      ? Object.entries(value).every(([k, v]) => k.isWellFormed() && wellFormed(v))
      : true;

/** Whether the body sent follows the operation's schema (a success for one that does not is a failure). */
function requestViolation(op, request) {
  const body = request.body;
  for (const h of op.headerParams)
    if (h.required && !request.headers?.[h.name.toLowerCase()]) return `header ${h.name} is missing`;
  if (!body) return op.bodySchema && op.bodyRequired ? 'the body is missing' : undefined;
  if (!op.bodySchema) return body.kind === 'unexpected-body' ? undefined : 'a body the operation does not take';
  if (body.text !== undefined || body.deep || body.wide || body.invalidUtf8) return `a ${body.kind} body`;
  // A charset parameter on application/json has no effect (RFC 8259 §11): only the media type counts.
  if (request.contentType === null || !JSON_TYPE.test(request.contentType))
    return `content type ${JSON.stringify(request.contentType)}`;
  if (JSON.stringify(body.json).includes('$repeat')) return 'a string far over any limit';
  if (!wellFormed(body.json)) return 'a string that is not well-formed Unicode (stored or echoed as is)';
  return schemaViolation(body.json, op.bodySchema);
}

/** Everything wrong with one answer, as sentences (empty when it is right). */
export function answerProblems(op, request, answer) {
  const problems = [];
  const { status, text } = answer;
  const type = answer.headers.get('content-type') ?? '';
  if (status >= 500) problems.push(`${status} answered (${type || 'no content type'}): ${text.slice(0, 160)}`);
  if (status !== 204 && op.method !== 'HEAD' && text.length === 0)
    problems.push(`${status} with an empty body (content-length ${answer.headers.get('content-length')})`);
  if (status >= 400 && status < 500) {
    if (!/^application\/problem\+json\b/i.test(type))
      problems.push(
        `${status} is ${type || 'without a content type'}, not application/problem+json: ${text.slice(0, 160)}`,
      );
    else if (text.length) {
      try {
        const problem = JSON.parse(text);
        if (problem.status !== status) problems.push(`problem body says status ${problem.status} on a ${status}`);
      } catch {
        problems.push(`${status} problem body is not JSON (${text.length} bytes): ${text.slice(0, 80)}`);
      }
    }
    const internal = INTERNALS.find((re) => re.test(text));
    if (internal) problems.push(`${status} reveals internals (${internal.exec(text)[0]}): ${text.slice(0, 160)}`);
  }
  if (status >= 200 && status < 300) {
    const why = requestViolation(op, request);
    if (why) problems.push(`${status} accepted a request its OpenAPI document refuses: ${why}`);
    if (status !== 204 && !JSON_TYPE.test(type))
      problems.push(`${status} is ${type || 'without a content type'}, not application/json`);
  }
  return problems;
}
