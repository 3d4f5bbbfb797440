// Benchmark of the JSON shape limits (libs/security/src/json/json-shape.ts): what checking a body
// before parsing it costs. Prints RATIOS of scenarios measured side by side in the same run
// (median of paired rounds, with the spread min..max), never absolute targets. Run:
//   npm run bench -- json-limits      (or: node bench/json-limits/json-limits.bench.mjs)
// Scenarios per body, each as a string already in memory (as Fastify hands it to the parser):
//   JSON.parse            the floor
//   secure-json-parse     what Fastify's own JSON parser did before (prototype-poisoning checks)
//   check + secure parse  what every app and the gateway do now (registerJsonBodyParser)
// BENCH_QUICK=1 for a smoke run.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
require('../lib/ts-hook.cjs');
const { findJsonShapeViolation, DEFAULT_JSON_SHAPE_LIMITS } = require('../../libs/security/src/json/json-shape.ts');
const secureJson = require('secure-json-parse');

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 3 : 9;
const BUDGET_MS = QUICK ? 40 : 200; // per scenario and round

// A typical POST /payments body, and a 100 KiB body (the apps' bodyLimit) of the shape a list
// import would have: many small objects with short strings, numbers and a nested array.
const payment = JSON.stringify({
  sourceAccountId: '0b7c5f7e-3a41-4d8e-9a3c-1f5e2d7c9b10',
  destinationAccountId: '6f1d2a9c-8e47-4b35-a2d0-7c3e9f1b5a24',
  amount: '125.40',
  currency: 'EUR',
  reference: 'Invoice 2024-117 "March" [flat 2]',
});
const item = (i) => ({
  id: `item-${i}`,
  amount: (i * 7919) % 100000,
  currency: 'EUR',
  tags: ['a', 'b', `t${i % 10}`],
  note: `line ${i} \"quoted\" text`,
});
const items = [];
let large = '';
for (let i = 0; JSON.stringify({ items: [...items, item(i)] }).length <= 100 * 1024 && i < 5_000; i++)
  items.push(item(i));
large = JSON.stringify({ items });
// The large body has more keys than the defaults allow in total: raise that one limit, so the
// checker scans the whole body (the worst case for it) instead of stopping early.
const largeLimits = { ...DEFAULT_JSON_SHAPE_LIMITS, maxTotalKeys: 1_000_000, maxArrayItems: 100_000 };

const scenarios = (body, limits) => ({
  'JSON.parse': () => JSON.parse(body),
  'secure-json-parse': () => secureJson.parse(body, null, { protoAction: 'error', constructorAction: 'error' }),
  'check + secure parse': () => {
    if (findJsonShapeViolation(body, limits)) throw new Error('refused');
    return secureJson.parse(body, null, { protoAction: 'error', constructorAction: 'error' });
  },
  'check only': () => {
    if (findJsonShapeViolation(body, limits)) throw new Error('refused');
  },
});

/** Nanoseconds per call, running fn for about BUDGET_MS. */
function nsPerCall(fn) {
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < BUDGET_MS) {
    for (let i = 0; i < 50; i++) sink ^= fn() === undefined ? 0 : 1;
    calls += 50;
    now = performance.now();
  }
  if (sink === 2) console.log(''); // keeps the results alive
  return ((now - start) * 1e6) / calls;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;

function measure(name, body, limits) {
  const fns = scenarios(body, limits);
  const names = Object.keys(fns);
  for (const n of names) nsPerCall(fns[n]); // warm-up: every path compiled before measuring
  const ns = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so drift (GC, thermal, the other core's load) favours no scenario.
    for (const n of round % 2 ? [...names].reverse() : names) ns[n].push(nsPerCall(fns[n]));
  }
  const ratio = (a, b) => ns[a].map((x, i) => x / ns[b][i]);
  console.log(`\n${name} (${body.length.toLocaleString('en')} characters)`);
  for (const n of names) console.log(`  ${n.padEnd(22)} ${(median(ns[n]) / 1000).toFixed(2).padStart(9)} us per body`);
  const row = (label, r) =>
    console.log(`  ${label.padEnd(52)} ${median(r).toFixed(2).padStart(6)}  (spread ${spread(r)})`);
  row('check + secure parse / JSON.parse', ratio('check + secure parse', 'JSON.parse'));
  row('check + secure parse / secure-json-parse (before)', ratio('check + secure parse', 'secure-json-parse'));
  row('check only / JSON.parse', ratio('check only', 'JSON.parse'));
}

console.log(
  `JSON shape limits benchmark: Node ${process.version}, ${ROUNDS} paired rounds of ${BUDGET_MS} ms per scenario, medians${QUICK ? ' (QUICK)' : ''}`,
);
measure('typical payment body', payment, DEFAULT_JSON_SHAPE_LIMITS);
measure('100 KiB body', large, largeLimits);

// What a refusal costs: a body nested 12,000 levels deep stops at level 33.
const deep = `${'{"a":'.repeat(12_000)}1${'}'.repeat(12_000)}`;
const refuse = nsPerCall(() => findJsonShapeViolation(deep));
const parseDeep = nsPerCall(() => JSON.parse(deep));
console.log(
  `\n12,000-level body: refused in ${(refuse / 1000).toFixed(2)} us, vs ${(parseDeep / 1000).toFixed(2)} us for JSON.parse to build it (ratio ${(refuse / parseDeep).toFixed(3)})`,
);
