// `npm test`: every unit and integration test of the workspace in one Jest run, against
// real infrastructure over TLS. Makes the test PKI (tmp/pki, ZT_TEST_PKI_DIR), starts a private
// Kafka broker (port 19092, TLS and ACLs, fresh state) unless KAFKA_BROKERS is set, a private
// PostgreSQL cluster (port 55434, TLS only, fresh) unless DATABASE_URL is set, runs Jest, prints
// one summary line, and stops what it started. Extra arguments go to Jest (e.g. `npm test -- libs/security`).
// `--unit` (`npm run test:unit`): only the specs that need neither PostgreSQL nor Kafka
// (jest.unit.config.cjs), with neither running: no broker is started, KAFKA_BROKERS is removed
// and DATABASE_URL points at a closed port, so a spec that needs either fails instead of
// quietly using the machine's own.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startKafka } from './lib/kafka.mjs';
import { ensurePki } from './lib/platform-pki.mjs';
import { checkPostgres, startPostgres } from './lib/postgres.mjs';
import { root, run, say } from './lib/workspace.mjs';

const unit = process.argv[2] === '--unit';
const jestArgsGiven = process.argv.slice(unit ? 3 : 2);
const resultsFile = path.join(root, unit ? 'tmp/jest-unit-results.json' : 'tmp/jest-results.json');
/** A PostgreSQL URL nothing listens on (port 1): the unit run must not reach a database. */
const NO_POSTGRES = 'postgres://postgres@127.0.0.1:1/no_database_in_unit_tests';
let kafka;
let postgres;

// The apps apply production rules unless told otherwise; the tests choose `test` (development
// defaults, seeded users, the development grant) explicitly, and the specs of production mode set
// NODE_ENV themselves.
const NODE_ENV = 'test';

async function main() {
  say(
    'test',
    `mode: test (NODE_ENV=${NODE_ENV}): development keys and secrets, seeded users, the development-user grant; production-mode specs set their own`,
  );
  if (unit) return runUnit();
  const pkiDir = await ensurePki();
  process.env.ZT_TEST_PKI_DIR = pkiDir;
  if (process.env.DATABASE_URL) {
    await checkPostgres();
  } else {
    say('test', 'starting a private PostgreSQL cluster for the tests on 127.0.0.1:55434 (TLS only)');
    postgres = await startPostgres({
      port: 55434,
      stateDir: path.join(root, 'tmp/postgres-test'),
      pkiDir,
      databases: [],
      fresh: true,
    });
    process.env.DATABASE_URL = postgres.adminUrl;
  }
  if (!process.env.KAFKA_BROKERS) {
    say('test', 'starting a private Kafka broker for the tests on 127.0.0.1:19092 (TLS and ACLs)');
    kafka = await startKafka({ port: 19092, stateDir: path.join(root, 'tmp/kafka-test'), fresh: true, pkiDir });
    process.env.KAFKA_BROKERS = kafka.brokers;
  }
  return runJest([], { ...process.env, NODE_ENV });
}

async function runUnit() {
  say('test', 'unit tests only (jest.unit.config.cjs): no Kafka, PostgreSQL unreachable on purpose');
  const { KAFKA_BROKERS: _kafka, ...env } = process.env;
  return runJest(['--config', 'jest.unit.config.cjs'], { ...env, NODE_ENV, DATABASE_URL: NO_POSTGRES });
}

async function runJest(configArgs, env) {
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  const jestArgs = [...configArgs, '--maxWorkers=2', '--json', `--outputFile=${resultsFile}`, ...jestArgsGiven];
  const nodeArgs = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
  const code = await run(process.execPath, [...nodeArgs, 'node_modules/jest/bin/jest.js', ...jestArgs], { env });
  printSummary();
  return code;
}

function printSummary() {
  try {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const skipped = r.numPendingTests + r.numTodoTests;
    // A suite that cannot even load (syntax error, missing module) has no failed test of
    // its own: count it as a failure so the summary never looks green when it is not.
    const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
    process.stdout.write(
      `\ntests: ${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  } catch {
    process.stdout.write('\ntests: 0 passed, 1 failed\n');
  }
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`[test] ${error.message}\n`);
} finally {
  await kafka?.stop();
  await postgres?.stop();
}
process.exit(exitCode);
