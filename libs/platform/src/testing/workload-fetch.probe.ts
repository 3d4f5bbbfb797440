// Run as a plain Node process (not inside Jest's VM context, whose globalThis is not the one Node's
// built-in fetch reads its dispatcher from): starts an app with the TLS_* files of the environment,
// fetches PROBE_URL with Node's own fetch, prints the answer's text (or the error) and exits.
import 'reflect-metadata';
import { startTlsProbeApp } from './tls-probe-app';

async function main(): Promise<void> {
  const { app } = await startTlsProbeApp({ name: 'probe', env: {} });
  try {
    const res = await fetch(String(process.env.PROBE_URL));
    process.stdout.write(`answer: ${await res.text()}\n`);
  } catch (error) {
    process.stdout.write(`failed: ${String((error as Error).cause ?? error)}\n`);
  } finally {
    await app.close();
  }
}

void main();
