// Every process the benchmark starts is registered here and stopped by its PID: at the end, on
// failure, on SIGINT/SIGTERM and when the global deadline passes, so nothing outlives a run.
import { fork, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const running = new Set();
const ROLES = fileURLToPath(new URL('./roles.mjs', import.meta.url));

/** SIGTERM to every process still running; resolves once they have exited (SIGKILL after 5 s). */
export function stopAll() {
  const procs = [...running];
  running.clear();
  return Promise.all(
    procs.map((proc) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      kill(proc.pid, 'SIGTERM');
      const timer = setTimeout(() => kill(proc.pid, 'SIGKILL'), 5000);
      return exited.then(() => clearTimeout(timer));
    }),
  );
}

function kill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function track(proc) {
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  return proc;
}

/** @param onCleanup runs after the processes have stopped (removes the temp dir) */
export function installCleanup(deadlineMs, onCleanup = () => {}) {
  const safely = () => {
    try {
      onCleanup();
    } catch {
      // a process still writing there: leave the temp dir
    }
  };
  // Last resort on any exit: synchronous, so SIGTERM is sent but not waited for.
  process.once('exit', () => (stopAll(), safely()));
  const stopThenExit = async (why, code) => {
    console.error(`\ngateway bench: ${why}, stopping the processes it started`);
    await stopAll();
    safely();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stopThenExit(signal, 130));
  // A hung peer or generator must not hold the machine: past the deadline everything stops.
  setTimeout(() => stopThenExit(`global deadline (${Math.round(deadlineMs / 1000)} s) passed`, 1), deadlineMs).unref();
}

/**
 * Forks bench/gateway/lib/roles.mjs in a role and resolves with its first IPC message (its port
 * or other start-up facts). stdout goes to /dev/null (the gateway's access-audit lines), stderr
 * stays visible so start-up failures are readable.
 */
export function startRole(role, arg, { execArgv = [], timeoutMs = 60_000 } = {}) {
  const proc = track(
    fork(ROLES, [role, ...(arg === undefined ? [] : [JSON.stringify(arg)])], {
      execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
    proc.once('message', (info) => {
      clearTimeout(timer);
      resolve({ proc, pid: proc.pid, ...info });
    });
  });
}

/** Asks a role child for something over IPC (the open-loop generator's runs). */
export function ask(child, message, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${message.type} got no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    child.proc.once('message', (answer) => {
      clearTimeout(timer);
      if (answer.error) reject(new Error(answer.error));
      else resolve(answer);
    });
    child.proc.send(message);
  });
}

/** A native program (nginx, haproxy, wrk) with its output captured, tracked for cleanup. */
export function startProgram(command, args, { quietStdout = false } = {}) {
  // quietStdout: per-request log lines go to /dev/null, not into this process's memory.
  const proc = track(spawn(command, args, { stdio: ['ignore', quietStdout ? 'ignore' : 'pipe', 'pipe'] }));
  let output = '';
  proc.stdout?.on('data', (chunk) => (output += chunk));
  proc.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise((resolve) => proc.once('close', (code) => resolve({ code, output })));
  return { proc, pid: proc.pid, done, output: () => output };
}

/** A free loopback port for the peers, whose config files must name their port up front. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Waits until something accepts TCP connections on the port (nginx and haproxy send no "ready"). */
export async function waitForPort(port, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs / 1000} s`);
}
