// Compose's depends_on conditions: `service_started` once the process runs, `service_healthy`
// once its healthcheck passes. The check itself is the service's own (see images/*): this module
// only runs it on compose's schedule and reads the verdict.
import { spawn } from 'node:child_process';

/** Runs one check command; true when it exits 0 within the timeout (as Docker reads a check). */
export function runCheck(command, args, { env, cwd, timeoutMs, uid, gid }) {
  return new Promise((resolve) => {
    const options = { env, cwd, stdio: 'ignore' };
    if (uid !== undefined) Object.assign(options, { uid, gid });
    const child = spawn(command, args, options);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/**
 * Polls `probe` until it passes. Docker gives up after `start_period` plus `retries` failed
 * checks `interval` apart; the same budget applies here. Checks run every second (Docker's
 * `start_interval` behaviour) so a quick service is not kept waiting a whole interval.
 */
export async function waitHealthy(service, probe, proc) {
  const { intervalMs, timeoutMs, startPeriodMs, retries } = service.healthcheck;
  const deadline = Date.now() + startPeriodMs + retries * (intervalMs + timeoutMs);
  const started = Date.now();
  for (;;) {
    if (proc.exited)
      throw new ServiceError(
        service.name,
        `exited (${proc.exited.error?.message ?? proc.exited.code ?? proc.exited.signal}) before it was healthy`,
        proc,
      );
    if (await probe()) return Date.now() - started;
    if (Date.now() > deadline)
      throw new ServiceError(
        service.name,
        `not healthy after ${Math.round((Date.now() - started) / 1000)}s (healthcheck: ${service.healthcheck.test.slice(1).join(' ')})`,
        proc,
      );
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A failure of one service: names it and its log file. */
export class ServiceError extends Error {
  constructor(service, message, proc) {
    super(`${service}: ${message}`);
    this.service = service;
    this.proc = proc;
  }
}
