// Reads docker-compose.yml (YAML anchors and `<<:` merge keys resolved) and the Dockerfile its
// services are built from, into what the runner needs. Every setting comes from those files:
// the runner keeps no copy of its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from '../workspace.mjs';
import { parseVolume } from './mounts.mjs';

const { parse } = createRequire(`${root}/package.json`)('yaml');

/** Compose durations: "10s", "1m30s", "500ms", "1h". */
export function parseDuration(value, fallbackMs) {
  if (value === undefined || value === null || value === '') return fallbackMs;
  if (typeof value === 'number') return value / 1e6; // a bare number is nanoseconds
  let total = 0;
  const text = String(value).trim();
  const re = /(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g;
  let consumed = 0;
  for (const [whole, n, unit] of text.matchAll(re)) {
    total += Number(n) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, ns: 1e-6 }[unit];
    consumed += whole.length;
  }
  if (consumed !== text.length) throw new Error(`docker-compose.yml: unreadable duration "${value}"`);
  return total;
}

/** "127.0.0.1:8080:8080", "8080:8080", "8080" or the long form: host address/port and container port. */
export function parsePort(entry) {
  if (typeof entry === 'object') {
    return {
      hostIp: entry.host_ip ?? '0.0.0.0',
      hostPort: Number(entry.published ?? entry.target),
      containerPort: Number(entry.target),
    };
  }
  const text = String(entry).replace(/\/tcp$/, '');
  if (/\/udp$/.test(text)) throw new Error(`docker-compose.yml: UDP port "${entry}" is not supported by this runner`);
  const parts = text.split(':');
  const containerPort = Number(parts.pop());
  const hostPort = parts.length ? Number(parts.pop()) : containerPort;
  const hostIp = parts.length ? parts.join(':').replace(/^\[|\]$/g, '') : '0.0.0.0';
  if (!Number.isInteger(containerPort) || !Number.isInteger(hostPort))
    throw new Error(`docker-compose.yml: unsupported port entry "${entry}"`);
  return { hostIp, hostPort, containerPort };
}

/**
 * Compose's interpolation of the host's variables: `$$` is a literal `$`; `${NAME}`, `${NAME:-default}`
 * and `$NAME` read the runner's environment (the shell `docker compose` is started from).
 */
export function interpolate(value, env = process.env) {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (whole, braced, fallback, bare) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare;
    return env[name] || (fallback ?? '');
  });
}

/** Every string of a parsed compose document interpolated. */
function interpolateAll(node) {
  if (typeof node === 'string') return interpolate(node);
  if (Array.isArray(node)) return node.map(interpolateAll);
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v)]));
  return node;
}

function environmentOf(service) {
  const env = service.environment ?? {};
  const pairs = Array.isArray(env)
    ? env.map((item) => {
        const i = String(item).indexOf('=');
        return i < 0 ? [item, ''] : [item.slice(0, i), item.slice(i + 1)];
      })
    : Object.entries(env);
  return Object.fromEntries(pairs.map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

function dependsOn(service) {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d?.condition ?? 'service_started']));
}

function healthcheckOf(service) {
  const h = service.healthcheck;
  if (!h || h.disable || !h.test || (Array.isArray(h.test) && h.test[0] === 'NONE')) return undefined;
  const test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : h.test.map(String);
  return {
    test,
    intervalMs: parseDuration(h.interval, 30_000),
    timeoutMs: parseDuration(h.timeout, 30_000),
    startPeriodMs: parseDuration(h.start_period, 0),
    retries: h.retries ?? 3,
  };
}

/** The services of the compose file, in file order, each normalized. */
export function loadCompose(file = path.join(root, 'docker-compose.yml')) {
  const doc = interpolateAll(parse(readFileSync(file, 'utf8'), { merge: true }));
  if (!doc?.services) throw new Error(`${path.relative(root, file)} has no services`);
  const services = Object.entries(doc.services).map(([name, s]) => ({
    name,
    image: s.image,
    build: s.build && (typeof s.build === 'string' ? { context: s.build } : s.build),
    command:
      s.command === undefined
        ? undefined
        : typeof s.command === 'string'
          ? ['sh', '-c', s.command]
          : s.command.map(String),
    environment: environmentOf(s),
    ports: (s.ports ?? []).map(parsePort),
    volumes: (s.volumes ?? []).map(parseVolume),
    // One-shot jobs say `restart: 'no'`; the runner never restarts anything (it reports the exit).
    restart: s.restart ?? 'no',
    dependsOn: dependsOn(s),
    healthcheck: healthcheckOf(s),
  }));
  for (const service of services) {
    for (const dep of Object.keys(service.dependsOn)) {
      if (!services.some((s) => s.name === dep))
        throw new Error(`docker-compose.yml: ${service.name} depends on unknown service ${dep}`);
    }
  }
  return { name: doc.name, services };
}

/**
 * One stage of a Dockerfile (the final one, or the one named by compose's `build.target`): its
 * build arguments, ENV, WORKDIR and CMD as the image would start a container (ENV values expanded
 * from ARG, as Docker does at build time; a stage `FROM <earlier stage>` starts from that stage's
 * settings), and where its files come from: `copies` (`COPY --from=<stage> <src> <dest>`) and
 * `context` (true when the stage, or one it is built on, copies the whole build context: `COPY . .`).
 */
export function loadDockerfile(file, buildArgs = {}, target = undefined) {
  const lines = readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = [];
  let stage = null;
  for (const line of lines) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!instruction) continue;
    const op = instruction.toUpperCase();
    if (op === 'FROM') {
      const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest);
      const parent = stages.find((s) => s.name === base);
      stage = parent
        ? { ...parent, name, args: { ...parent.args }, env: { ...parent.env }, copies: [...parent.copies] }
        : { name, args: {}, env: {}, workdir: '/', cmd: undefined, copies: [], context: false };
      stages.push(stage);
      continue;
    }
    if (!stage) continue;
    const expand = (text) =>
      text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => stage.env[a ?? b] ?? stage.args[a ?? b] ?? '');
    if (op === 'ARG') {
      const [name, def] = rest.split('=');
      stage.args[name] = buildArgs[name] ?? def ?? '';
    } else if (op === 'ENV') {
      for (const [, k, v] of rest.matchAll(/(\w+)=("[^"]*"|\S*)/g)) stage.env[k] = expand(v.replace(/^"|"$/g, ''));
    } else if (op === 'WORKDIR') {
      stage.workdir = path.posix.resolve(stage.workdir, expand(rest));
    } else if (op === 'CMD') {
      stage.cmd = rest.startsWith('[') ? JSON.parse(rest) : ['sh', '-c', rest];
    } else if (op === 'COPY') {
      const words = rest.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const [src, dest] = words.filter((w) => !w.startsWith('--'));
      if (!from && src === '.') stage.context = true;
      else if (from) {
        // The source path as the other stage sees it, relative to its WORKDIR (`/src/dist` -> `dist`).
        const fromDir = stages.find((s) => s.name === from)?.workdir ?? '/';
        stage.copies.push({
          from,
          src: path.posix.relative(fromDir, path.posix.resolve(fromDir, src)),
          dest: path.posix.resolve(stage.workdir, dest),
        });
      }
    }
  }
  const chosen = target === undefined ? stages.at(-1) : stages.find((s) => s.name === target);
  if (!chosen) throw new Error(`${path.relative(root, file)}: no stage ${target ?? ''} to run`);
  if (!chosen.cmd) throw new Error(`${path.relative(root, file)}: no CMD in stage ${chosen.name ?? '(final)'}`);
  return {
    env: chosen.env,
    workdir: chosen.workdir,
    cmd: chosen.cmd,
    copies: chosen.copies,
    context: chosen.context,
  };
}
