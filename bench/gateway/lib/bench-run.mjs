// What every gateway benchmark starts with: wrk present, a clock with a deadline (later phases keep
// their share of it, so rounds stop early on a slow machine), progress lines on stderr, a scratch
// folder removed however the run ends, and the machine's load average to print beside the figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { installCleanup } from './procs.mjs';
import { WRK } from './wrk.mjs';

export function startBenchRun(name, deadlineSeconds) {
  if (!WRK) {
    console.log(`${name}: wrk not installed (Debian: apt-get install wrk nginx-light haproxy)`);
    process.exit(1);
  }
  const start = Date.now();
  const elapsed = () => `${Math.round((Date.now() - start) / 1000)} s`;
  const dir = mkdtempSync(path.join(tmpdir(), `${name.replace(/\W+/g, '-')}-`));
  const removeDir = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  installCleanup(deadlineSeconds * 1000, removeDir);
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  return {
    dir,
    removeDir,
    elapsed,
    progress: (what) => process.stderr.write(`  [${elapsed()}] ${what}\n`),
    until: (share) => start + deadlineSeconds * 1000 * share,
    skipped: [],
    load,
    loadBefore: load(),
  };
}
