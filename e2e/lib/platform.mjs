// What the end-to-end cases know about the running platform: its public addresses, the handle
// to stop and start its parts (fault cases), and read-only database access for assertions.
import { createRequire } from 'node:module';
import { databaseUrlFor } from '../../scripts/lib/postgres.mjs';
import { platformAgent } from '../../scripts/lib/platform-pki.mjs';
import { GATEWAY, ISSUER } from '../../scripts/lib/topology.mjs';

export { GATEWAY, ISSUER };

const { Client } = createRequire(import.meta.url)('pg');
const undici = createRequire(import.meta.url)('undici');
const agents = new Map();

/**
 * A request from inside the platform's network, over mutual TLS with `workload`'s certificate: the
 * internal listeners refuse anyone without a platform certificate, so this is what a compromised
 * or curious workload could do (the token is still checked), and how the cases read a service's
 * own documents. `workload: null` connects with no certificate at all.
 */
export function internalFetch(url, init = {}, workload = 'platform-admin') {
  const key = workload ?? '';
  if (!agents.has(key)) agents.set(key, platformAgent(workload ? { workload } : {}));
  return undici.fetch(url, { ...init, dispatcher: agents.get(key) });
}

export const DATABASE_PREFIX = 'zt_e2e';
export const ALICE_ACCOUNT = 'a11ce000-0000-4000-8000-000000000001';
export const BOB_ACCOUNT = 'b0b00000-0000-4000-8000-000000000001';

/** Set by e2e/run.mjs: { apps, kafka, stop } from scripts/lib/platform-runner.mjs. */
export const platform = { current: undefined };

export function app(name) {
  const found = platform.current.apps.find((a) => a.app.name === name);
  if (!found) throw new Error(`no app ${name}`);
  return found;
}

/** One request through the gateway with a bearer token (opaque, as internet clients hold). */
export async function api(token, method, path, { json, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${GATEWAY}${path}`, init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Reads a service's database, to assert only (never to drive the story). */
export async function query(app, sql, params = []) {
  const client = new Client({ connectionString: databaseUrlFor(`${DATABASE_PREFIX}_${app}`) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function eventually(probe, done, timeoutMs = 30_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
