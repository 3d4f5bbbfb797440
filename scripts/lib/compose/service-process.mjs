// One process of the compose deployment (a container's main process): output kept in
// tmp/compose/<service>.log, its pid recorded in tmp/compose/<service>.pid, stopped by that pid
// (SIGTERM, then SIGKILL after a grace period). It runs in its own process group, so a Ctrl-C
// reaches only the runner, which then stops every service in order.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logTail, stopChild } from '../child-process-control.mjs';

export class ServiceProcess {
  /** `otherLogs`: files the process writes itself (named in errors next to the log). */
  /** `stopSignal`: as an image's STOPSIGNAL (PostgreSQL's image uses SIGINT, a fast shutdown). */
  constructor({ name, stateDir, command, args, env, cwd, uid, gid, otherLogs = [], stopSignal = 'SIGTERM' }) {
    this.stopSignal = stopSignal;
    // COMPOSE_STATE_DIR marks the process as this runner's (some programs rewrite their command line).
    Object.assign(this, {
      name,
      command,
      args,
      env: { ...env, COMPOSE_STATE_DIR: stateDir },
      cwd,
      uid,
      gid,
      otherLogs,
    });
    this.logFile = path.join(stateDir, `${name}.log`);
    this.pidFile = path.join(stateDir, `${name}.pid`);
    this.exited = null;
  }

  start() {
    const log = createWriteStream(this.logFile, { flags: this.child ? 'a' : 'w' }); // a fresh log per run
    const options = { cwd: this.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true };
    if (this.uid !== undefined) Object.assign(options, { uid: this.uid, gid: this.gid });
    this.child = spawn(this.command, this.args, options);
    this.child.stdout.pipe(log);
    this.child.stderr.pipe(log);
    this.exitPromise = new Promise((resolve) => {
      this.child.on('error', (error) => {
        log.write(`[compose] could not start ${this.command}: ${error.message}\n`);
        this.exited = { code: null, signal: null, error };
        resolve(this.exited);
      });
      this.child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        rmSync(this.pidFile, { force: true });
        resolve(this.exited);
      });
    });
    if (this.child.pid) writeFileSync(this.pidFile, `${this.child.pid}\n`);
    return this.child.pid;
  }

  get pid() {
    return this.child?.pid;
  }

  async stop(graceMs = 15_000) {
    if (!this.child?.pid || this.exited) return;
    await stopChild(this.child, this.exitPromise, this.stopSignal, graceMs);
  }

  tail(lines = 20) {
    return logTail(this.logFile, lines);
  }
}

/**
 * Processes a previous run left behind (killed runner): each pid file names a process, ended only
 * when it is still alive and its command line shows it belongs to this state directory.
 */
export async function stopLeftovers(stateDir, say) {
  if (!existsSync(stateDir)) return;
  for (const file of readdirSync(stateDir).filter((f) => f.endsWith('.pid'))) {
    const pid = Number(readFileSync(path.join(stateDir, file), 'utf8').trim());
    rmSync(path.join(stateDir, file), { force: true });
    if (!Number.isInteger(pid) || pid <= 1) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // gone (or not Linux: nothing we can check, so leave it)
    }
    if (!cmdline.includes(stateDir) && !readEnviron(pid).split('\0').includes(`COMPOSE_STATE_DIR=${stateDir}`))
      continue;
    say(`stopping ${file.replace(/\.pid$/, '')} left over from an earlier run (pid ${pid})`);
    try {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function readEnviron(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
