// Sends one generated request through the gateway as a real client would, paced under the
// gateway's per-user burst limit (the fuzz tests the APIs, not the limiter). A 429 that still
// happens is checked like any answer, then the request is sent again after its Retry-After.
import { randomUUID } from 'node:crypto';
import { GATEWAY } from '../platform.mjs';
import { renderBody } from './request-body.mjs';

const PER_USER_PER_SECOND = 40; // the e2e gateway allows 50 per second per user
/** An answer later than this is a lost one (the platform answers in milliseconds; a hang would stall the run). */
const ANSWER_TIMEOUT_MS = 15_000;
const sent = new Map();

async function pace(user) {
  const times = sent.get(user) ?? [];
  sent.set(user, times);
  for (;;) {
    const now = Date.now();
    while (times.length && now - times[0] >= 1000) times.shift();
    if (times.length < PER_USER_PER_SECOND) break;
    await new Promise((r) => setTimeout(r, 1000 - (now - times[0]) + 5));
  }
  times.push(Date.now());
}

/** A path parameter as it goes on the wire: `{ raw }` as written, anything else resolved and percent-encoded. */
function pathValue(value, resolve) {
  if (value && typeof value === 'object') return value.raw;
  const resolved = String(resolve(value));
  try {
    return encodeURIComponent(resolved);
  } catch {
    return resolved.replace(/[\ud800-\udfff]/g, '%ED%A0%80'); // a lone surrogate, as CESU-8 bytes
  }
}

export function urlOf(op, request, resolve) {
  return op.template.replace(/\{(\w+)\}/g, (_, name) => pathValue(request.params[name], resolve));
}

/**
 * Sends `request` for `op` with the caller's token; resolves to { status, headers, text, retried }.
 * `tokens(caller)` gives the bearer token, `resolve(value)` turns references into ids for that caller.
 */
export async function send(op, request, { token, resolve, onLimited }) {
  const headers = { authorization: `Bearer ${token}` };
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (value !== undefined) headers[name] = value === '@uniqueKey' ? randomUUID() : value;
  const body = renderBody(request.body, resolve);
  if (body !== undefined && request.contentType !== null) headers['content-type'] = request.contentType;
  const url = `${GATEWAY}/api${urlOf(op, request, resolve)}`;
  for (let attempt = 0; ; attempt++) {
    await pace(request.caller.as);
    const res = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    const text = await res.text();
    const answer = { status: res.status, headers: res.headers, text, url, bytesSent: body?.length ?? 0 };
    if (res.status !== 429 || attempt === 4) return answer;
    onLimited?.(answer);
    await new Promise((r) => setTimeout(r, Math.min(2, Number(res.headers.get('retry-after')) || 1) * 1000));
  }
}
