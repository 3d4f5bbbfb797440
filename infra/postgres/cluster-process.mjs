// The server process of the project's cluster: started detached with its PID recorded, and only
// ever signalled by that PID after checking it is still this cluster's server (never by name).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts `command` detached (it outlives a CLI that started it), output appended to `logFile`. */
export function spawnServer({ command, args, cwd, owner, logFile, pidFile }) {
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd,
      ...owner,
      detached: true,
      stdio: ['ignore', out, out],
      env: { PATH: process.env.PATH, LANG: 'C' },
    });
    writeFileSync(pidFile, `${child.pid}\n`);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.unref();
    return { pid: child.pid, exited };
  } finally {
    closeSync(out);
  }
}

/**
 * The recorded PID if that process is alive and is this cluster's server: its command line names
 * `dataDir`. A PID file left by a crash may name a process that has since reused the number; that
 * one is never signalled. (Without /proc the liveness check alone is used.)
 */
export function runningPid(pidFile, dataDir) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return undefined;
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    try {
      if (!readFileSync(cmdline, 'utf8').split('\0').includes(dataDir)) return undefined;
    } catch {
      return undefined;
    }
  }
  return pid;
}

/** Fast shutdown (SIGINT: roll back open transactions, close connections), then immediate (SIGQUIT). */
export async function stopServer(pidFile, dataDir) {
  const pid = runningPid(pidFile, dataDir);
  if (pid !== undefined) {
    process.kill(pid, 'SIGINT');
    if (!(await exitedWithin(pid, 20_000))) {
      process.kill(pid, 'SIGQUIT');
      if (!(await exitedWithin(pid, 5_000))) throw new Error(`postgres: server ${pid} did not stop`);
    }
  }
  rmSync(pidFile, { force: true });
  return pid;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by the process that started it) counts as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function exitedWithin(pid, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return !alive(pid);
}
