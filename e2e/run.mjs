// `npm run e2e`: starts the platform exactly as `npm run demo` does (same code path, its own
// databases and broker), runs the black-box cases in e2e/cases against it one by one, prints a
// summary per category (story, OWASP API1..API10, wire, fault, load, fuzz) and a final `N passed, M failed`
// line, then stops everything it started (also on Ctrl-C). `npm run e2e -- story` runs only the
// case files whose name contains "story" (a second argument filters case names).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startPlatform } from '../scripts/lib/platform-runner.mjs';
import { modeLine } from '../scripts/lib/topology.mjs';
import { say } from '../scripts/lib/workspace.mjs';
import { takeCases } from './lib/cases.mjs';
import { DATABASE_PREFIX, platform } from './lib/platform.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const caseFilter = process.argv[3] ?? ''; // `npm run e2e -- faults 'authorization server'`
const files = readdirSync(path.join(here, 'cases'))
  .filter((f) => f.endsWith('.test.mjs') && f.includes(filter))
  .sort();
const category = (name) => /^(API\d+|story|wire|fault|load|fuzz)\b/.exec(name)?.[1] ?? 'other';

async function stopAndExit(code) {
  await platform.current?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stopAndExit(130));
process.on('SIGTERM', () => void stopAndExit(143));

function mergeOverrides(base, extra) {
  const merged = { ...base };
  for (const [app, env] of Object.entries(extra)) merged[app] = { ...merged[app], ...env };
  return merged;
}

async function runCase({ name, fn, timeoutMs }) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    await Promise.race([fn(), timeout]);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
}

const counts = new Map();
const failures = [];
let exitCode = 1;
try {
  const cases = [];
  for (const file of files) {
    await import(pathToFileURL(path.join(here, 'cases', file)).href);
    cases.push(...takeCases().filter((c) => c.name.includes(caseFilter)));
  }
  say('e2e', modeLine());
  platform.current = await startPlatform({
    logDir: path.join(here, '../tmp/e2e'),
    kafkaPort: 19792,
    databasePrefix: DATABASE_PREFIX,
    freshDatabases: true,
    freshKafka: true,
    // Every case comes from 127.0.0.1 as a handful of users: the per-IP and sustained per-user
    // limits are raised so the load case measures the platform, not the limiter (the per-user
    // burst limit keeps its default and is tested).
    // E2E_ENV_OVERRIDES='{"gateway":{"NAME":"value"}}' changes settings for an experiment, e.g.
    // to switch a protection off and watch the case under it fail.
    envOverrides: mergeOverrides(
      { gateway: { GATEWAY_RATE_LIMIT_IP: '100000/60,2000/1', GATEWAY_RATE_LIMIT_USER: '100000/60,50/1' } },
      JSON.parse(process.env.E2E_ENV_OVERRIDES || '{}'),
    ),
  });
  say('e2e', `running ${cases.length} case(s) from ${files.length} file(s)`);
  for (const c of cases) {
    const started = Date.now();
    const error = await runCase(c);
    const tally = counts.get(category(c.name)) ?? { passed: 0, failed: 0 };
    tally[error ? 'failed' : 'passed'] += 1;
    counts.set(category(c.name), tally);
    say('e2e', `${error ? 'FAIL' : 'ok  '} ${c.name} (${Date.now() - started} ms)`);
    if (error) {
      failures.push(
        `${c.name}\n      ${String(error.stack ?? error)
          .split('\n')
          .slice(0, 6)
          .join('\n      ')}`,
      );
    }
  }
  const total = [...counts.values()].reduce((t, c) => ({ passed: t.passed + c.passed, failed: t.failed + c.failed }), {
    passed: 0,
    failed: 0,
  });
  process.stdout.write('\nend-to-end summary by category\n');
  for (const [name, c] of [...counts].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    process.stdout.write(`  ${name.padEnd(6)} ${c.passed} passed, ${c.failed} failed\n`);
  }
  for (const f of failures) process.stdout.write(`  FAILED ${f}\n`);
  process.stdout.write(`\ne2e: ${total.passed} passed, ${total.failed} failed\n`);
  exitCode = total.failed === 0 && total.passed > 0 ? 0 : 1;
} catch (error) {
  process.stderr.write(`[e2e] ${error.stack ?? error}\n`);
} finally {
  await platform.current?.stop();
}
process.exit(exitCode);
