// Services with a `build:` section: the image the Dockerfile would build, without Docker. The
// workspace is compiled once with scripts/build.mjs (the Dockerfile's own build step) into
// tmp/compose/image/dist. The final stage's files are what its `COPY --from=<stage>` lines take
// from the workspace: dist/ (that build), node_modules/ and any other path (linked from the
// checkout). A stage named by compose's `build.target` that is the build context itself (`COPY . .`,
// e.g. the operator tools stage) runs in the checkout. Each service then runs the stage's CMD (or
// its compose `command`) with the stage's ENV (build args applied) overlaid by the service's
// compose environment, container paths of its volumes rewritten to their host folders (see
// mounts.mjs), and nothing from the runner's own environment but PATH (a container inherits
// nothing from the host).
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { build } from '../../../build.mjs';
import { loadDockerfile } from '../compose-file.mjs';
import { envToHostPaths, toHostPaths } from '../mounts.mjs';
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
    return image;
  })();
  return built;
}

/** Where the stage's WORKDIR is on the host: the checkout for a context stage, else the image folder. */
function stageDir(stage, contextDir, ctx) {
  if (stage.context) return contextDir;
  const image = buildImage(ctx);
  for (const copy of stage.copies) {
    if (copy.src === 'dist') continue; // built above, as the build stage does
    const dest = path.join(image, path.posix.relative(stage.workdir, copy.dest));
    if (!existsSync(dest)) {
      mkdirSync(path.dirname(dest), { recursive: true });
      symlinkSync(path.join(contextDir, copy.src), dest);
    }
  }
  return image;
}

export const buildImageHandler = {
  matches: (service) => Boolean(service.build),

  /** Builds before anything starts: the build blocks this process for a while. */
  prepare: (ctx) => void buildImage(ctx),

  async create(service, ctx) {
    const contextDir = path.resolve(ctx.composeDir, service.build.context ?? '.');
    const dockerfile = path.join(contextDir, service.build.dockerfile ?? 'Dockerfile');
    const stage = loadDockerfile(dockerfile, service.build.args ?? {}, service.build.target);
    const cwd = stageDir(stage, contextDir, ctx);
    const command = (service.command ?? stage.cmd).map((arg) => toHostPaths(arg, ctx.mounts));
    const env = envToHostPaths({ PATH: process.env.PATH, HOME: cwd, ...stage.env, ...service.environment }, ctx.mounts);
    const proc = new ServiceProcess({
      name: service.name,
      stateDir: ctx.stateDir,
      cwd,
      command: command[0],
      args: command.slice(1),
      env: { ...env, ...ctx.namespaceEnv(service.name, env.NODE_OPTIONS) },
    });
    return {
      proc,
      /** The healthcheck's command, run as `docker exec` would: in the container, with its environment. */
      probe: (test) => {
        const [command, ...args] = (test[0] === 'CMD-SHELL' ? ['sh', '-c', test[1]] : test.slice(1)).map((arg) =>
          toHostPaths(arg, ctx.mounts),
        );
        return ctx.runCheck(command, args, { cwd, env: proc.env });
      },
    };
  },
};
