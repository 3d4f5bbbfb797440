// Runs docker-compose.yml without Docker: every service on its own loopback address, started
// when what it depends on is started, healthy or (a one-shot job) completed successfully
// (depends_on), judged healthy by its own healthcheck, its published ports forwarded from the
// host, its volumes host folders (mounts.mjs). Images are replaced by the project's own means
// (images/*); every setting comes from the compose file.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { root } from '../workspace.mjs';
import { loadCompose } from './compose-file.mjs';
import { runCheck, ServiceError, waitHealthy } from './healthcheck.mjs';
import { hostMounts } from './mounts.mjs';
import { buildImageHandler } from './images/build.mjs';
import { kafkaImage } from './images/kafka.mjs';
import { postgresImage } from './images/postgres.mjs';
import { redisImage } from './images/redis.mjs';
import { ComposeNetwork } from './network.mjs';
import { stopLeftovers } from './service-process.mjs';

const HANDLERS = [buildImageHandler, postgresImage, kafkaImage, redisImage];
const CONDITIONS = {
  service_started: { awaits: 'started', says: 'started' },
  service_healthy: { awaits: 'healthy', says: 'healthy' },
  service_completed_successfully: { awaits: 'completed', says: 'completed successfully' },
};

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => {}); // observed by dependents, if any
  return { promise, resolve, reject };
}

/**
 * Starts the whole compose file; resolves when every service is started (and healthy, when it
 * has a check; a one-shot job that others wait for, completed). `onStop` receives the stop function as soon as something may be running, so a
 * Ctrl-C during start-up stops what was started.
 */
export async function startCompose({
  file = path.join(root, 'docker-compose.yml'),
  stateDir = path.join(root, 'tmp/compose'),
  say,
  onStop = () => {},
}) {
  const compose = loadCompose(file);
  const { services } = compose;
  for (const s of services) {
    if (!HANDLERS.some((h) => h.matches(s)))
      throw new Error(
        `${s.name}: no way to run image "${s.image}" without Docker (known: build:, postgres, apache/kafka, redis)`,
      );
    for (const [dep, condition] of Object.entries(s.dependsOn)) {
      if (condition === 'service_healthy' && !services.find((d) => d.name === dep).healthcheck)
        throw new Error(`${s.name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      if (!CONDITIONS[condition])
        throw new Error(`${s.name}: depends_on condition ${condition} is not supported by this runner`);
    }
  }

  mkdirSync(stateDir, { recursive: true });
  const composeDir = path.dirname(file);
  const mounts = Object.fromEntries(
    services.map((s) => [s.name, hostMounts(s.volumes, { composeDir, stateDir, service: s.name })]),
  );
  await stopLeftovers(stateDir, (m) => say(m));
  const network = new ComposeNetwork(services, stateDir);
  await network.checkAddresses();
  await network.checkPublished(services);

  const procs = [];
  let aborted = false;
  const stop = async () => {
    aborted = true;
    await network.close();
    for (const proc of procs.reverse().splice(0)) {
      if (proc.exited) continue;
      say(`stopping ${proc.name} (pid ${proc.pid})`);
      await proc.stop();
    }
  };

  onStop(stop);

  const state = Object.fromEntries(
    services.map((s) => [s.name, { started: deferred(), healthy: deferred(), completed: deferred() }]),
  );
  const awaitedCompletion = new Set(
    services.flatMap((s) =>
      Object.entries(s.dependsOn)
        .filter(([, condition]) => condition === 'service_completed_successfully')
        .map(([dep]) => dep),
    ),
  );
  const bring = async (service) => {
    const { started, healthy, completed } = state[service.name];
    try {
      await Promise.all(
        Object.entries(service.dependsOn).map(([dep, condition]) =>
          state[dep][CONDITIONS[condition].awaits].promise.catch(() => {
            throw new ServiceError(service.name, `not started: ${dep} did not become ${CONDITIONS[condition].says}`);
          }),
        ),
      );
      if (aborted) throw new ServiceError(service.name, 'not started: the run was stopped');
      const handler = HANDLERS.find((h) => h.matches(service));
      const ctx = {
        root,
        stateDir,
        say,
        composeDir,
        mounts: mounts[service.name],
        serviceNames: services.map((s) => s.name),
        addressOf: (name) => network.addressOf(name),
        namespaceEnv: (name, nodeOptions) => ({ PATH: process.env.PATH, ...network.namespaceEnv(name, nodeOptions) }),
        runCheck: (command, args, options) =>
          runCheck(command, args, { timeoutMs: service.healthcheck?.timeoutMs ?? 30_000, ...options }),
      };
      let created;
      try {
        created = await handler.create(service, ctx);
      } catch (error) {
        throw new ServiceError(service.name, error.message.replace(new RegExp(`^${service.name}: `), ''));
      }
      if (aborted) throw new ServiceError(service.name, 'not started: the run was stopped');
      const { proc, probe } = created;
      procs.push(proc);
      proc.start();
      // A one-shot job (certificates, ACLs) is done when it exits 0; its dependents wait for that.
      proc.exitPromise.then(({ code, signal, error }) => {
        if (code === 0) return completed.resolve();
        const why = error?.message ?? (signal ? `signal ${signal}` : `code ${code}`);
        completed.reject(new ServiceError(service.name, `exited (${why})`, proc));
      });
      say(
        `${service.name.padEnd(21)} started on ${network.addressOf(service.name)} (pid ${proc.pid}, log ${path.relative(root, proc.logFile)})`,
      );
      await network.publish(service);
      for (const p of service.ports)
        say(
          `${service.name.padEnd(21)} published on ${p.hostIp}:${p.hostPort} -> ${network.addressOf(service.name)}:${p.containerPort}`,
        );
      started.resolve();
      if (service.healthcheck) {
        const ms = await waitHealthy(service, () => probe(service.healthcheck.test), proc);
        say(`${service.name.padEnd(21)} healthy (${(ms / 1000).toFixed(1)}s)`);
        healthy.resolve();
      }
      if (awaitedCompletion.has(service.name)) {
        await completed.promise; // its own failure (and log) is the one to report, not a dependent's
        say(`${service.name.padEnd(21)} completed successfully`);
      }
    } catch (error) {
      started.reject(error);
      healthy.reject(error);
      completed.reject(error);
      throw error;
    }
  };

  for (const handler of HANDLERS)
    if (handler.prepare && services.some((s) => handler.matches(s))) handler.prepare({ root, stateDir, say });
  const modes = [
    ...new Set(
      services
        .filter((s) => s.build && s.restart !== 'no') // the apps, not the one-shot jobs
        .map((s) => s.environment.NODE_ENV || '(unset: production)'),
    ),
  ];
  say(`mode: NODE_ENV=${modes.join(', ')}, as ${path.relative(root, file)} sets it`);
  say(`network: ${services.map((s) => `${s.name}=${network.addressOf(s.name)}`).join(' ')}`);
  try {
    await Promise.all(services.map(bring));
  } catch (error) {
    say(`${error.message}; stopping what was started`);
    await stop();
    throw error;
  }
  return { services, network, procs, mounts, stop };
}
