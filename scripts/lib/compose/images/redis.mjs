// Stands in for the `redis` image: the machine's redis-server, run with the service's own
// `command` (e.g. no persistence), bound to the service's address on the image's port 6379, its
// working directory under tmp/compose/redis. The healthcheck's redis-cli runs against it.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ServiceProcess } from '../service-process.mjs';

const PORT = 6379;

export const redisImage = {
  matches: (service) => /^(docker\.io\/(library\/)?)?redis(:|$)/.test(service.image ?? ''),

  async create(service, ctx) {
    const command = service.command ?? ['redis-server'];
    if (command[0] !== 'redis-server')
      throw new Error(
        `redis: command "${command.join(' ')}" does not start redis-server; this runner only knows the image's redis-server`,
      );
    const dir = path.join(ctx.stateDir, 'redis');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const address = ctx.addressOf(service.name);
    const proc = new ServiceProcess({
      name: service.name,
      stateDir: ctx.stateDir,
      cwd: dir,
      // The compose command as given; then what the container's network and WORKDIR would decide.
      command: 'redis-server',
      args: [
        ...command.slice(1),
        '--bind',
        address,
        '--port',
        String(PORT),
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--protected-mode',
        'no',
      ],
      env: { PATH: process.env.PATH },
    });
    return {
      proc,
      probe: async (test) => {
        const args = test[0] === 'CMD' ? test.slice(1) : null;
        if (!args || args[0] !== 'redis-cli')
          throw new Error(
            `redis: healthcheck "${test.join(' ')}" is not redis-cli; this runner only knows the image's redis-cli`,
          );
        return ctx.runCheck('redis-cli', ['-h', address, '-p', String(PORT), ...args.slice(1)], {
          env: { PATH: process.env.PATH },
        });
      },
    };
  },
};
