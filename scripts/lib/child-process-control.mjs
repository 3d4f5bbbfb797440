// What the demo's app processes and the compose runner's service processes share: a stop that
// escalates to SIGKILL after a grace period, and the end of a log file for an error message.
import { readFileSync } from 'node:fs';

/** Sends `signal`, then SIGKILL if the child has not exited within `graceMs`; resolves on exit. */
export async function stopChild(child, exited, signal, graceMs) {
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The last `lines` lines of a log file, indented for a message; `(no log)` when there is none. */
export function logTail(file, lines) {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch {
    return '    (no log)';
  }
}
