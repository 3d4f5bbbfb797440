// Money after the fuzz: every approved payment reaches a final state, only approved payments
// settled, and each test user's balance moved by exactly their settled payments, so the sum over
// the test users is what it was before (money moved between alice and bob, none made or lost).
import { api, eventually } from '../platform.mjs';
import { balancesOf } from './fuzz-session.mjs';
import { USERS } from './object-registry.mjs';

const minor = (amount) => {
  const [units, cents = ''] = String(amount).split('.');
  return BigInt(units) * 100n + BigInt(cents.padEnd(2, '0'));
};
const ownerOfAccount = (id) => Object.keys(USERS).find((u) => USERS[u].account === id);

/** Sentences about what is wrong with the money (empty when it is conserved and accounted for). */
export async function moneyProblems(s) {
  const problems = [];
  const statusOf = async (id) =>
    (await api(s.tokens[s.registry.created.get(id).owner], 'GET', `/api/payments/${id}`)).body.status;
  const approved = [...s.registry.approved.keys()];
  const final = await eventually(
    () => Promise.all(approved.map(statusOf)),
    (all) => all.every((st) => st === 'settled' || st === 'rejected'),
    60_000,
  );
  approved.forEach((id, i) => {
    if (final[i] !== 'settled' && final[i] !== 'rejected')
      problems.push(`approved payment ${id} is still ${final[i]} after 60 s`);
  });
  const delta = { alice: 0n, bob: 0n };
  for (const user of ['alice', 'bob']) {
    const list = await api(s.tokens[user], 'GET', '/api/payments');
    for (const p of list.body) {
      if (new Date(p.createdAt) < s.startedAt || p.status !== 'settled') continue;
      if (!s.registry.approved.has(p.id))
        problems.push(`${user}'s payment ${p.id} settled without an approval of the fuzz`);
      const to = ownerOfAccount(p.destinationAccountId);
      if (!to) problems.push(`${user}'s payment ${p.id} settled to ${p.destinationAccountId}, outside the test users`);
      delta[user] -= minor(p.amount);
      if (to && to !== 'admin') delta[to] += minor(p.amount);
    }
  }
  const after = await balancesOf(s.tokens);
  for (const user of ['alice', 'bob']) {
    if (after[user] !== s.before[user] + delta[user])
      problems.push(
        `${user}'s balance is ${after[user]}, expected ${s.before[user]} + ${delta[user]} from settled payments`,
      );
  }
  const total = (b) => b.alice + b.bob;
  if (total(after) !== total(s.before))
    problems.push(`the test users hold ${total(after)} minor units, ${total(s.before)} before the fuzz`);
  process.stdout.write(
    `[fuzz] money: before ${JSON.stringify(Object.fromEntries(Object.entries(s.before).map(([k, v]) => [k, String(v)])))}, after ${JSON.stringify(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, String(v)])))}, ${approved.length} approved, settled ${final.filter((st) => st === 'settled').length}\n`,
  );
  return problems;
}
