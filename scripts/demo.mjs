// `npm run demo`: starts real Kafka and PostgreSQL-backed apps, waits until every app is
// healthy, prints where each listens, and on Ctrl-C stops everything it started.
// Then it tells the payment story step by step. `npm run demo -- --smoke` stops again after the
// story (CI uses it: it fails when the story does not end with a settled payment).
import { tellTheStory } from './lib/demo-story.mjs';
import { startPlatform } from './lib/platform-runner.mjs';
import { modeLine } from './lib/topology.mjs';
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

say('demo', modeLine());
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
let told = false;
try {
  told = await tellTheStory({ kafkaBrokers: platform.kafkaBrokers, pkiDir: platform.pkiDir });
} catch (error) {
  process.stderr.write(`[story] could not finish: ${error.message}\n`);
}
if (smoke) {
  await shutdown(told ? 0 : 1);
} else {
  say('demo', 'press Ctrl-C to stop');
}
