// One LOGIN role per service workload, named exactly as its certificate's CN, owning its own
// database(s); no role reaches a database it does not own. Applied on every start (idempotent): a
// role or database that exists is brought back to these rules, one that is missing is created.

import { ADMIN_ROLE } from './cluster-settings.mjs';

const ROLE = /^[a-z][a-z0-9-]{0,62}$/;
const DATABASE = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks who owns what and returns it as [role, database] pairs (each database once). Accepts
 * `{ role: [database, ...] }` or `[{ role, database }, ...]`.
 */
export function ownership(databases) {
  const given = Array.isArray(databases)
    ? databases.map(({ role, database }) => [role, database])
    : Object.entries(databases ?? {}).flatMap(([role, names]) => names.map((name) => [role, name]));
  const owners = new Map();
  for (const [role, name] of given) {
    if (!ROLE.test(role ?? '')) throw new Error(`postgres: unsupported role name "${role}" (a workload name)`);
    // The superuser owns nothing here: applyRoles would strip its rights.
    if (role === ADMIN_ROLE) throw new Error(`postgres: ${ADMIN_ROLE} is the superuser, not a service role`);
    if (!DATABASE.test(name ?? '')) throw new Error(`postgres: unsupported database name "${name}"`);
    if (owners.has(name) && owners.get(name) !== role)
      throw new Error(`postgres: database ${name} is given to both ${owners.get(name)} and ${role}`);
    owners.set(name, role);
  }
  return [...owners].map(([name, role]) => [role, name]);
}

const quote = (name) => `"${name}"`;

/**
 * Applies the rules with `client`, a superuser connection. Every name has passed the patterns
 * above, so quoting them is enough (DDL takes no bind parameters).
 */
export async function applyRoles(client, databases) {
  const pairs = ownership(databases);
  for (const role of new Set(pairs.map(([role]) => role))) {
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!found.rowCount) await client.query(`CREATE ROLE ${quote(role)} LOGIN`);
    // No password: the certificate is the only way in. Nothing beyond its own databases.
    await client.query(
      `ALTER ROLE ${quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD NULL`,
    );
  }
  for (const [role, name] of pairs) {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) await client.query(`ALTER DATABASE ${quote(name)} OWNER TO ${quote(role)}`);
    else await client.query(`CREATE DATABASE ${quote(name)} OWNER ${quote(role)}`);
    // A new database grants CONNECT and TEMPORARY to PUBLIC: every role could connect. Only its owner may.
    await client.query(`REVOKE ALL ON DATABASE ${quote(name)} FROM PUBLIC`);
  }
  // The maintenance databases too: a service role has no business there.
  for (const name of ['postgres', 'template1']) await client.query(`REVOKE CONNECT ON DATABASE ${name} FROM PUBLIC`);
}
