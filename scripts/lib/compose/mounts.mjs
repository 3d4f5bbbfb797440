// A service's `volumes:` without Docker. The runner runs every process on the host, so a container
// path means nothing to it: each mount is a host folder (a bind mount's own source, a named
// volume's folder under tmp/compose/volumes/, kept across runs as Docker keeps named volumes),
// and a container path written in an environment value, a command argument or a healthcheck
// argument is rewritten to that host folder before the process sees it. `:ro` cannot be enforced
// here (Docker enforces it); the runner only keeps it for the record.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** `./src:/dst:ro`, `name:/dst`, or the long form: `{ type, source, target, read_only }`. */
export function parseVolume(entry) {
  if (typeof entry === 'object') {
    return {
      type: entry.type ?? (/^[./~]/.test(entry.source ?? '') ? 'bind' : 'volume'),
      source: entry.source,
      target: entry.target,
      readOnly: Boolean(entry.read_only),
    };
  }
  const [source, target, mode] = String(entry).split(':');
  if (target === undefined) return { type: 'volume', source: undefined, target: source, readOnly: false };
  return {
    type: /^[./~]/.test(source) ? 'bind' : 'volume',
    source,
    target,
    readOnly: (mode ?? '').split(',').includes('ro'),
  };
}

/**
 * The host folder of every mount of a service. `composeDir`: where the compose file lives (bind
 * sources are relative to it); `stateDir`: the runner's folder (named volumes live under it).
 */
export function hostMounts(volumes, { composeDir, stateDir, service }) {
  return volumes.map((volume) => {
    if (!volume.target?.startsWith('/'))
      throw new Error(`${service}: volume target "${volume.target}" is not an absolute container path`);
    if (volume.type === 'bind') return { ...volume, host: path.resolve(composeDir, volume.source) };
    if (volume.type !== 'volume') throw new Error(`${service}: volume type ${volume.type} is not supported`);
    // An anonymous volume is the service's own, a named one is shared by every service mounting it.
    const host = path.join(stateDir, 'volumes', volume.source ?? `${service}-${volume.target.replace(/\W+/g, '_')}`);
    mkdirSync(host, { recursive: true });
    return { ...volume, host };
  });
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with each container path under a mount replaced by its host path. A mount point counts
 * only as a whole path segment (`/pki/ca.crt`, `=/pki`, `:/pki/x`), never inside another path
 * (`/var/pki`, `/pkix`).
 */
export function toHostPaths(text, mounts) {
  let result = String(text);
  for (const mount of [...mounts].sort((a, b) => b.target.length - a.target.length)) {
    const target = mount.target.replace(/\/+$/, '');
    result = result.replace(
      new RegExp(`(^|[^\\w./~-])${escape(target)}(?=/|$|[^\\w.-])`, 'g'),
      (_, before) => `${before}${mount.host}`,
    );
  }
  return result;
}

/** The host path of one container path, or undefined when no mount holds it. */
export function hostPathOf(containerPath, mounts) {
  const translated = toHostPaths(containerPath, mounts);
  return translated === containerPath ? undefined : translated;
}

/** Every value of an environment with container paths rewritten. */
export function envToHostPaths(env, mounts) {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, toHostPaths(v, mounts)]));
}
