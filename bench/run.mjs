// `npm run bench`: runs every benchmark under bench/ (files named *.bench.mjs), one after the
// other so they do not compete for the two cores. Each prints ratios of scenarios measured side
// by side in the same run; none of them is a pass/fail test. `npm run bench -- security` runs
// only the benchmarks whose path contains "security".
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';

function findBenchmarks(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findBenchmarks(full);
    return name.endsWith('.bench.mjs') ? [full] : [];
  });
}

const files = findBenchmarks(benchDir)
  .filter((f) => f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`bench: no *.bench.mjs under bench/ matching "${filter}"`);
  process.exit(1);
}
// The apps apply production rules unless told otherwise; the benchmarks run them on development
// keys, secrets and seeded users, so they choose development mode explicitly (each benchmark also
// sets it where it starts an app, so it runs the same when started on its own).
const NODE_ENV = 'development';
console.log(`[bench] mode: development (NODE_ENV=${NODE_ENV}): development keys and secrets, seeded users`);
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${path.relative(process.cwd(), file)} ===`);
  const result = spawnSync(process.execPath, [file], { stdio: 'inherit', env: { ...process.env, NODE_ENV } });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
