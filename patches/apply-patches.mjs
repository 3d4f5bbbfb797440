// Applies the project's patches to installed dependencies; run by the root package's
// "postinstall" (npm ci / npm install). Plain Node, no dependency, idempotent. Each patch names
// the exact package version and text it expects: after an upgrade it stops the install with a
// message instead of silently not applying, so someone re-checks whether it is still needed.
// Why each patch exists: docs/adr/ (kafkajs: 0001-patch-kafkajs-request-queue.md).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const patches = [
  {
    name: 'kafkajs request queue: no negative setTimeout, no idle 1 ms timer loop (tulios/kafkajs#1751, #1704)',
    pkg: 'kafkajs',
    version: '2.2.4',
    file: 'src/network/requestQueue/index.js',
    marker: 'zt-patch: kafkajs#1751',
    // In scheduleCheckPendingRequests, with nothing pending and no throttle, `scheduleAt` is
    // `-1 - Date.now()`: Node 24 warns TimeoutNegativeWarning and runs the timer after 1 ms,
    // whose callback schedules the same timer again, for as long as the connection lives.
    before: `      if (this.pending.length > 0) {
        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL
      }
`,
    after: `      if (this.pending.length > 0) {
        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL
      } else if (scheduleAt <= 0) {
        // zt-patch: kafkajs#1751 — nothing waits and no throttle: nothing to check. A request
        // queued later schedules its own check (push), an in-flight one checks when it ends.
        return
      }
`,
  },
];

let failed = false;
for (const patch of patches) {
  const dir = path.join(root, 'node_modules', patch.pkg);
  let version;
  try {
    version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    console.error(`patches: ${patch.pkg} is not installed; skipped "${patch.name}"`);
    continue;
  }
  const file = path.join(dir, patch.file);
  const text = readFileSync(file, 'utf8');
  if (text.includes(patch.marker)) continue; // already applied
  const found = text.split(patch.before).length - 1;
  if (version !== patch.version || found !== 1) {
    console.error(
      `patches: cannot apply "${patch.name}" to ${patch.pkg}@${version} (written for ${patch.version}, ` +
        `expected text found ${found} times): check whether the new version still needs it and update patches/apply-patches.mjs`,
    );
    failed = true;
    continue;
  }
  writeFileSync(file, text.replace(patch.before, patch.after));
  console.log(`patches: applied "${patch.name}" to ${patch.pkg}@${version}`);
}
process.exitCode = failed ? 1 : 0;
