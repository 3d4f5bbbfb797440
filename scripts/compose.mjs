// `npm run demo:compose`: runs docker-compose.yml without Docker (scripts/lib/compose/), then
// tells the demo's payment story through the published gateway and the authorization server's
// published pages, as a user on the host would. `-- --smoke` stops again after the story and
// exits 0 only when it ends with a settled payment (CI runs it); otherwise Ctrl-C stops everything.
// `-- -f <file>` runs another compose file. Every published service speaks TLS with a certificate
// of the stack's own development CA (its `certs` job): the story trusts that CA and nothing else,
// as a user's browser or CLI would once given the CA.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startCompose } from './lib/compose/compose-runner.mjs';
import { hostPathOf } from './lib/compose/mounts.mjs';
import { checkWire } from './lib/compose/wire-checks.mjs';
import { tellTheStory } from './lib/demo-story.mjs';
import { root, say as sayTagged } from './lib/workspace.mjs';

const { Agent, setGlobalDispatcher } = createRequire(`${root}/package.json`)('undici');

const smoke = process.argv.includes('--smoke');
// `-f <file>` as with `docker compose -f`: another compose file (default docker-compose.yml).
const fileArg = process.argv.findIndex((a) => a === '-f' || a === '--file');
const file = fileArg > 0 ? path.resolve(process.argv[fileArg + 1]) : path.join(root, 'docker-compose.yml');
const say = (message) => sayTagged('compose', message);
const startedAt = Date.now();
let deployment;
let stopStarted; // set as soon as anything may be running
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping every service that was started');
  await stopStarted?.();
  say(`stopped (${((Date.now() - startedAt) / 1000).toFixed(0)}s in all)`);
  process.exit(code);
}

// As `npm run demo`: Ctrl-C is the normal way to end a run; in a smoke run it is a failure.
process.on('SIGINT', () => void shutdown(smoke ? 130 : 0));
process.on('SIGTERM', () => void shutdown(smoke ? 143 : 0));

try {
  deployment = await startCompose({ file, say, onStop: (stop) => (stopStarted = stop) });
} catch (error) {
  if (stopping) await new Promise(() => {}); // Ctrl-C during start-up: shutdown() exits
  process.stderr.write(`[compose] ${error.message}\n`);
  if (error.proc) {
    const more = error.proc.otherLogs.map((f) => ` and ${path.relative(root, f)}`).join('');
    process.stderr.write(
      `[compose] log of ${error.service}: ${path.relative(root, error.proc.logFile)}${more}; its last lines:\n${error.proc.tail()}\n`,
    );
  } else if (error.service)
    process.stderr.write(`[compose] log of ${error.service}: tmp/compose/${error.service}.log\n`);
  process.exit(1);
}

/** Where a user on the host reaches a service: its first published port, https when it serves TLS. */
function published(name) {
  const service = deployment.services.find((s) => s.name === name);
  const port = service?.ports[0];
  if (!port) throw new Error(`docker-compose.yml publishes no port for ${name}`);
  const scheme = service.environment.TLS_CERT_FILE ? 'https' : 'http';
  return `${scheme}://${port.hostIp === '0.0.0.0' ? '127.0.0.1' : port.hostIp}:${port.hostPort}`;
}

/** This process's fetch trusts the CA the gateway's certificate comes from (its TLS_CA_FILE, on the host). */
function trustStackCa() {
  const gateway = deployment.services.find((s) => s.name === 'gateway');
  const caFile = gateway?.environment.TLS_CA_FILE;
  if (!caFile) return;
  const hostFile = hostPathOf(caFile, deployment.mounts.gateway) ?? caFile;
  setGlobalDispatcher(new Agent({ connect: { ca: readFileSync(hostFile), minVersion: 'TLSv1.2' } }));
  say(`the story trusts the stack's CA (${path.relative(root, hostFile)}) and no other`);
}

let told = false;
try {
  trustStackCa();
  const gateway = published('gateway');
  // The issuer a browser is sent to is the one the authorization server announces: its OAUTH_ISSUER.
  const issuer = deployment.services.find((s) => s.name === 'authorization-server').environment.OAUTH_ISSUER;
  say(
    `every service is up after ${((Date.now() - startedAt) / 1000).toFixed(0)}s; the story goes through the gateway at ${gateway}, signing in at ${issuer}`,
  );
  told = await tellTheStory({ gateway, issuer });
} catch (error) {
  process.stderr.write(`[story] could not finish: ${error.message}\n`);
}
if (smoke) {
  // Then what must be refused on the wire is refused (wire-checks.mjs): TLS is not only on, it is the only way in.
  let refused = false;
  if (told) {
    const results = await checkWire(deployment);
    for (const [what, passed, detail] of results)
      say(`${passed ? 'ok  ' : 'FAIL'} ${what}${detail === undefined ? '' : ` (${detail})`}`);
    refused = results.length > 0 && results.every(([, passed]) => passed);
  }
  say(
    told && refused
      ? 'smoke run passed: the payment settled over TLS, and every plaintext or anonymous attempt was refused'
      : told
        ? 'smoke run FAILED: the payment settled, but the wire checks above did not all pass'
        : 'smoke run FAILED: the story did not end with a settled payment (logs in tmp/compose/)',
  );
  await shutdown(told && refused ? 0 : 1);
} else {
  say('press Ctrl-C to stop');
}
