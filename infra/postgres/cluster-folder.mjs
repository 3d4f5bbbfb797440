// Where a private PostgreSQL cluster lives and whose it is: shared by the project's own cluster
// (infra/postgres/postgres-cluster.mjs) and the compose runner's stand-in for the `postgres` image
// (scripts/lib/compose/images/postgres.mjs), so both find the binaries and run as root the same way.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The newest PostgreSQL server binaries of the machine (Debian layout: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      'postgres: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)',
    );
  return path.join(base, versions[0], 'bin');
}

/**
 * PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` system user
 * ({ uid, gid } for spawn/execFile); otherwise to the current user ({}).
 */
export function clusterOwner() {
  if (process.getuid?.() !== 0) return {};
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    throw new Error('postgres: running as root and there is no `postgres` user to own the cluster');
  }
}

/**
 * The cluster's folder: `<stateDir>/<folder>`, unless the cluster belongs to another user (root
 * runs it as `postgres`). That user may not be allowed to traverse the checkout's parent folders (a
 * clone in a private mktemp folder, a home directory), so the cluster then lives in a private
 * folder of its own under the system's temp folder, owned by that user and remembered in
 * `<stateDir>/<pointer>` so the next run finds (or removes) it.
 *
 * `fresh`: remove what a previous run left and start empty (the compose runner); otherwise the
 * existing folder is reused (the project's cluster keeps its data across restarts).
 */
export function clusterDir(stateDir, owner, { folder, pointer, tempPrefix, fresh }) {
  const pointerFile = path.join(stateDir, pointer);
  const remembered = existsSync(pointerFile) ? readFileSync(pointerFile, 'utf8').trim() : undefined;
  const inState = path.join(stateDir, folder);
  if (fresh) removeClusterDir(stateDir, { folder, pointer });
  if (owner.uid === undefined) return inState;
  if (!fresh && remembered && existsSync(remembered)) return remembered;
  const dir = mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  chownSync(dir, owner.uid, owner.gid);
  writeFileSync(pointerFile, `${dir}\n`);
  return dir;
}

/** Removes the cluster's folder, wherever it is (state folder or remembered temp folder). */
export function removeClusterDir(stateDir, { folder, pointer }) {
  const pointerFile = path.join(stateDir, pointer);
  if (existsSync(pointerFile)) {
    const remembered = readFileSync(pointerFile, 'utf8').trim();
    // Only ever a folder this module made: directly under the system's temp folder.
    if (path.dirname(remembered) === os.tmpdir()) rmSync(remembered, { recursive: true, force: true });
    rmSync(pointerFile, { force: true });
  }
  rmSync(path.join(stateDir, folder), { recursive: true, force: true });
}
