// Services with a `build:` section: the image the Dockerfile would build, without Docker. The
// workspace is compiled once with scripts/build.mjs (the Dockerfile's own build step) into
// tmp/compose/image/dist, next to the workspace's node_modules, which is what the image holds;
// each service then runs the final stage's CMD there, with the stage's ENV (build args applied)
// overlaid by the service's compose environment, and nothing from the runner's own environment
// but PATH (a container inherits nothing from the host).
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from '../../../build.mjs';
import { loadDockerfile } from '../compose-file.mjs';
import { ServiceProcess } from '../service-process.mjs';

let built;

/** The image directory, built once per run whatever the number of services using it. */
function buildImage(ctx) {
  built ??= (() => {
    const image = path.join(ctx.stateDir, 'image');
    rmSync(image, { recursive: true, force: true });
    mkdirSync(image, { recursive: true });
    ctx.say(`building the apps (scripts/build.mjs) into ${path.relative(ctx.root, image)}/dist`);
    build(path.join(image, 'dist'));
    symlinkSync(path.join(ctx.root, 'node_modules'), path.join(image, 'node_modules'), 'dir');
    return image;
  })();
  return built;
}

export const buildImageHandler = {
  matches: (service) => Boolean(service.build),

  /** Builds before anything starts: the build blocks this process for a while. */
  prepare: (ctx) => void buildImage(ctx),

  async create(service, ctx) {
    const dockerfile = path.join(ctx.root, service.build.context ?? '.', service.build.dockerfile ?? 'Dockerfile');
    const stage = loadDockerfile(dockerfile, service.build.args ?? {});
    const image = buildImage(ctx);
    const command = service.command ?? stage.cmd;
    const env = { PATH: process.env.PATH, HOME: image, ...stage.env, ...service.environment };
    const proc = new ServiceProcess({
      name: service.name,
      stateDir: ctx.stateDir,
      cwd: image,
      command: command[0],
      args: command.slice(1),
      env: { ...env, ...ctx.namespaceEnv(service.name, env.NODE_OPTIONS) },
    });
    return {
      proc,
      /** The healthcheck's command, run as `docker exec` would: in the container, with its environment. */
      probe: (test) => {
        const [command, ...args] = test[0] === 'CMD-SHELL' ? ['sh', '-c', test[1]] : test.slice(1);
        return ctx.runCheck(command, args, { cwd: image, env: proc.env });
      },
    };
  },
};
