// `npm run demo`: starts real Kafka and PostgreSQL-backed apps, waits until every app is
// healthy, prints where each listens, and on Ctrl-C stops everything it started.
// `npm run demo -- --smoke` stops again as soon as all are healthy (used by CI).
import { startPlatform } from './lib/platform-runner.mjs';
import { say } from './lib/workspace.mjs';

const smoke = process.argv.includes('--smoke');
let platform;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('demo', 'stopping everything that was started');
  await platform?.stop();
  say('demo', 'stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  platform = await startPlatform();
} catch (error) {
  process.stderr.write(`[demo] ${error.message}\n`);
  process.exit(1);
}

say('demo', 'all apps are healthy:');
for (const app of platform.apps) {
  say('demo', `  ${app.app.name.padEnd(21)} ${app.url}   health ${app.url}/health   OpenAPI ${app.url}/docs`);
}
if (smoke) {
  await shutdown(0);
} else {
  say('demo', 'press Ctrl-C to stop');
}
