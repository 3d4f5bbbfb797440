// A schema-driven fuzz of every API, through the gateway with real tokens: requests generated
// from each service's own OpenAPI document (valid ones, and ones with malformed types, missing
// and mass-assigned fields, extreme numbers and money formats, huge and deeply nested bodies,
// invalid Unicode, other users' and invalid ids, wrong content types, nulls). Every answer must
// be a success or a clean 4xx problem, never a 5xx or an empty body; afterwards money must be
// conserved and no user may have read another user's object. Seeded and bounded: the seed is
// printed first; FUZZ_SEED replays a run, FUZZ_RUNS changes the requests per operation.
import assert from 'node:assert/strict';
import { test } from '../lib/cases.mjs';
import { fuzzOperation } from '../lib/fuzz/operation-fuzz.mjs';
import { ensureApprovals, freshTokens, fuzzSession } from '../lib/fuzz/fuzz-session.mjs';
import { callersOf } from '../lib/fuzz/request-arbitrary.mjs';
import { moneyProblems } from '../lib/fuzz/money-ledger.mjs';
import { ownershipProblems } from '../lib/fuzz/ownership-sweep.mjs';

/** Every problem is printed whole (the runner's summary shows only a failure's first lines), then asserted. */
function fail(what, problems) {
  for (const p of problems) process.stdout.write(`[fuzz] FAILED ${what}: ${p}\n`);
  if (problems.length)
    throw new Error(
      `${problems.length} problem(s) in ${what} (all printed above with [fuzz] FAILED); first: ${problems[0]}`,
    );
}

async function fuzzService(service) {
  const s = await fuzzSession();
  assert.ok(s.operations[service].length > 0, `the ${service} OpenAPI document names no public operation`);
  const failures = [];
  for (const op of s.operations[service]) {
    await freshTokens(s);
    if (callersOf(op).some((c) => c.approval)) await ensureApprovals(s);
    const started = Date.now();
    s.statuses.clear();
    const found = await fuzzOperation(op, s);
    failures.push(...found);
    const statuses = [...s.statuses]
      .sort(([a], [b]) => a - b)
      .map(([st, n]) => `${st}x${n}`)
      .join(' ');
    process.stdout.write(
      `[fuzz] ${op.key}: ${found.length ? `${found.length} FAILURE(S)` : 'held'} in ${Date.now() - started} ms (${statuses})\n`,
    );
  }
  fail(`${service} API`, failures);
}

// Payments last: its approvals move money, which the money case then accounts for.
for (const service of ['users', 'accounts', 'payments']) {
  test(
    `fuzz: ${service} API: every operation of its OpenAPI document, valid and hostile requests, answers a success or a clean 4xx problem`,
    () => fuzzService(service),
    { timeoutMs: 300_000 },
  );
}

test('fuzz: money is conserved across the test users: balances moved by exactly the settled payments, each one approved', async () => {
  fail('money', await moneyProblems(await fuzzSession()));
});

test("fuzz: no user read another user's object, by id or in a list, through any read operation", async () => {
  fail('ownership', await ownershipProblems(await fuzzSession()));
});
