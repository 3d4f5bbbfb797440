import type { Decision } from './access-decision';

/** One access-audit line: who, what, which decision and why. Never a token, cookie, body or IP. */
export interface AccessEntry {
  requestId: string;
  clientId?: string;
  sub?: string;
  method: string;
  route: string;
  decision: Decision;
  reason: string;
  status: number;
  latencyMs: number;
  tokenHash?: string;
}

const STRING_FIELDS = ['requestId', 'clientId', 'sub', 'method', 'route', 'decision', 'reason'] as const;

/** Characters that never need escaping in a JSON string: most values are ids and codes. */
const PLAIN = /^[\w .:@/|+=-]*$/;

function quote(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

let lastMs = -1;
let lastIso = '';

/** Many lines share a millisecond under load; the ISO form is made once per millisecond. */
function isoTime(time: Date): string {
  const ms = time.getTime();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = time.toISOString();
  }
  return lastIso;
}

/**
 * The line as JSON, in the shape of the platform's pino logs (`level`, `time`, `service`, `log`,
 * fields, `message`), so one log pipeline reads both. Written by hand because it is the only
 * per-request log line of the gateway: a fixed shape needs no generic serializer, and pino's
 * costs several microseconds per request on the hot path (bench/gateway). Every string is
 * JSON-escaped (a `sub` or client id may hold any character); absent fields are left out.
 */
export function formatAccessLine(entry: AccessEntry, time: Date): string {
  let line = `{"level":"info","time":"${isoTime(time)}","service":"gateway","log":"access"`;
  for (const field of STRING_FIELDS) {
    const value = entry[field];
    if (value !== undefined) line += `,"${field}":${quote(value)}`;
  }
  line += `,"status":${entry.status | 0},"latencyMs":${Number.isFinite(entry.latencyMs) ? entry.latencyMs : 0}`;
  if (entry.tokenHash !== undefined) line += `,"tokenHash":${JSON.stringify(entry.tokenHash)}`;
  return `${line},"message":"access"}\n`;
}
