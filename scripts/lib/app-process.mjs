// One app of the platform as a child process: started from dist/, its JSON log kept in a
// file, its health polled over mutual TLS (the operator's certificate: internal listeners refuse
// anyone without a platform certificate), and stopped by PID (SIGTERM, then SIGKILL after a grace period).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './workspace.mjs';
import { logTail, stopChild } from './child-process-control.mjs';
import { OPERATOR, platformAgent } from './platform-pki.mjs';
import { urlOf } from './topology.mjs';

const { request } = createRequire(`${root}/package.json`)('undici');

export class AppProcess {
  constructor(app, env, logDir, pkiDir) {
    this.app = app;
    this.pkiDir = pkiDir;
    this.env = env;
    this.logFile = path.join(logDir, `${app.name}.log`);
    this.exited = null;
  }

  get url() {
    return urlOf(this.app);
  }

  /** Starts the app; a restart (fault tests) appends to the same log. */
  start() {
    const log = createWriteStream(this.logFile, { flags: this.child ? 'a' : 'w' });
    this.exited = null;
    const main = path.join(root, 'dist/apps', this.app.name, 'src/main.js');
    this.child = spawn(process.execPath, [main], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.pipe(log);
    this.child.stderr.pipe(log);
    this.exitPromise = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve(this.exited);
      }),
    );
  }

  /** Resolves when GET /health answers 200; rejects when the process dies or time runs out. */
  async waitHealthy(timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    this.probeAgent ??= platformAgent({ dir: this.pkiDir, workload: OPERATOR });
    while (Date.now() < deadline) {
      if (this.exited)
        throw new Error(`${this.app.name} exited (${this.exited.code ?? this.exited.signal})\n${this.tail()}`);
      try {
        const res = await request(`${this.url}/health`, {
          dispatcher: this.probeAgent,
          signal: AbortSignal.timeout(2000),
        });
        await res.body.dump();
        if (res.statusCode === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${this.app.name} not healthy after ${timeoutMs / 1000}s\n${this.tail()}`);
  }

  async stop(graceMs = 10_000) {
    if (!this.child || this.exited) return;
    await stopChild(this.child, this.exitPromise, 'SIGTERM', graceMs);
  }

  /** Kills the process without warning (SIGKILL), as a crash would. */
  async crash() {
    if (!this.child || this.exited) return;
    this.child.kill('SIGKILL');
    await this.exitPromise;
  }

  tail(lines = 15) {
    return logTail(this.logFile, lines);
  }
}
