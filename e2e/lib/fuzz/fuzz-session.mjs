// What the fuzz cases share: real opaque tokens from the authorization server (alice, bob, an
// admin; transaction tokens for one payment each), the operations read from the services'
// OpenAPI documents, the registry of who owns what, and the balances before any request.
import { randomUUID } from 'node:crypto';
import { mobileLogin, transactionToken } from '../../../scripts/lib/oauth-client.mjs';
import { api } from '../platform.mjs';
import { FUZZ_RUNS, FUZZ_SEED, replayHint } from './fuzz-settings.mjs';
import { ObjectRegistry, USERS } from './object-registry.mjs';
import { FUZZED_SERVICES, openApiDocument, operationsOf } from './openapi-operations.mjs';

const USER_SCOPES = 'accounts:read payments:read payments:write users:read users:write';
let session;

export const balancesOf = async (tokens) =>
  Object.fromEntries(
    await Promise.all(
      ['alice', 'bob'].map(async (user) => {
        const res = await api(tokens[user], 'GET', `/api/accounts/${USERS[user].account}`);
        if (res.status !== 200) throw new Error(`${user}'s balance: ${res.status}`);
        return [user, BigInt(res.body.balanceMinor)];
      }),
    ),
  );

/** One valid payment of `amount` from `from` to the other test user, for a transaction token to approve. */
async function pendingPayment(tokens, from, to, amount) {
  const body = {
    sourceAccountId: USERS[from].account,
    destinationAccountId: USERS[to].account,
    amount,
    currency: 'EUR',
  };
  const res = await api(tokens[from], 'POST', '/api/payments', {
    json: body,
    headers: { 'idempotency-key': randomUUID() },
  });
  if (res.status !== 201) throw new Error(`setting up ${from}'s payment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Tokens live 5 minutes: one older than this is replaced before the next operation. */
const TOKEN_REFRESH_MS = 150_000;
const LOGINS = {
  alice: () => mobileLogin('alice', USER_SCOPES),
  bob: () => mobileLogin('bob', USER_SCOPES),
  admin: () => mobileLogin('admin', 'users:read users:admin'),
};

/** Signs in again any user whose token is getting old (a fuzz run outlives a token's 5 minutes). */
export async function freshTokens(s) {
  for (const [user, login] of Object.entries(LOGINS)) {
    if (!s.tokens[user] || Date.now() - s.tokenTimes[user] > TOKEN_REFRESH_MS) {
      s.tokens[user] = await login();
      s.tokenTimes[user] = Date.now();
    }
  }
  return s;
}

export function fuzzSession() {
  session ??= (async () => {
    process.stdout.write(
      `[fuzz] seed ${FUZZ_SEED}, ${FUZZ_RUNS} generated requests per operation (replay: ${replayHint()})\n`,
    );
    const s = {
      tokens: {},
      tokenTimes: {},
      approvals: undefined,
      operations: {},
      registry: new ObjectRegistry(),
      startedAt: new Date(),
      statuses: new Map(),
    };
    await freshTokens(s);
    for (const service of FUZZED_SERVICES) {
      const { operations, skipped } = operationsOf(service, await openApiDocument(service));
      s.operations[service] = operations;
      if (skipped.length)
        process.stdout.write(`[fuzz] ${service}: not public through the gateway, not fuzzed: ${skipped.join(', ')}\n`);
    }
    s.before = await balancesOf(s.tokens);
    return s;
  })();
  return session.then(freshTokens);
}

/**
 * Transaction tokens (RFC 9396) for one new pending payment each way, made just before the
 * approval operation is fuzzed: it is fuzzed with them, and the one valid approval each moves
 * money between the two users.
 */
export async function ensureApprovals(s) {
  if (s.approvals) return;
  s.approvals = {};
  for (const [from, to, amount] of [
    ['alice', 'bob', '1.23'],
    ['bob', 'alice', '0.45'],
  ]) {
    const payment = await pendingPayment(s.tokens, from, to, amount);
    s.registry.addPayment(from, payment);
    s.registry.approvalPayment[from] = payment.id;
    s.approvals[from] = await transactionToken(from, payment.id);
  }
}

/** The bearer token of a generated request's caller. */
export const tokenFor = (s, caller) => (caller.approval ? s.approvals[caller.as] : s.tokens[caller.as]);
