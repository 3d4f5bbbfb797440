// `npm run migrate`: applies every app's pending database migrations without starting the app,
// e.g. before a release. The apps also apply them at start-up (DatabaseModule, migrationsRun), so
// this is the same step taken on its own. The server is DATABASE_URL's (the local one by default);
// each app migrates its own database, named in infra/platform.json like `npm run demo` does.
//   npm run migrate                          every app with a database
//   npm run migrate -- accounts payments     only these apps
//   npm run migrate -- --prefix zt_scratch   databases zt_scratch_accounts, ... (a scratch run)
// The migration classes are TypeScript: they are compiled first (swc, as `npm run build`) into a
// private folder, so a running demo's dist/ is left alone.
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from './build.mjs';
import { databaseUrlFor } from './lib/postgres.mjs';
import { APPS, databaseFor } from './lib/topology.mjs';
import { root, say } from './lib/workspace.mjs';

const outDir = path.join(root, 'tmp/migrate-dist');
const requireFromRoot = createRequire(path.join(root, 'package.json'));

function parseArgs(argv) {
  const names = [];
  let prefix;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--prefix') {
      prefix = argv[++i];
      if (!/^[a-z][a-z0-9_]*$/.test(prefix ?? '')) {
        throw new Error('--prefix needs a database name prefix of lower-case letters, digits and _ (e.g. zt_scratch)');
      }
    } else names.push(argv[i]);
  }
  const withDatabase = APPS.filter((app) => app.database);
  const unknown = names.filter((name) => !withDatabase.some((app) => app.name === name));
  if (unknown.length) {
    const known = withDatabase.map((a) => a.name).join(', ');
    throw new Error(`no app with a database is named ${unknown.join(', ')} (choose from ${known})`);
  }
  return { apps: names.length ? withDatabase.filter((app) => names.includes(app.name)) : withDatabase, prefix };
}

/** The app's DatabaseSpec (entities and ordered migrations), from apps/<app>/src/database/<app>-database.ts. */
function databaseSpecOf(app) {
  const exports = requireFromRoot(path.join(outDir, `apps/${app.name}/src/database/${app.name}-database.js`));
  const spec = Object.values(exports).find((value) => Array.isArray(value?.migrations));
  if (!spec) throw new Error(`apps/${app.name}/src/database/${app.name}-database.ts exports no DatabaseSpec`);
  return spec;
}

async function migrate(app, prefix) {
  const { DataSource } = requireFromRoot('typeorm');
  const { ensureDatabase } = requireFromRoot(path.join(outDir, 'libs/platform/src/database/ensure-database.js'));
  const database = databaseFor(app, prefix);
  const url = databaseUrlFor(database);
  const created = await ensureDatabase(url);
  const spec = databaseSpecOf(app);
  // The same settings as DatabaseModule: each migration in its own transaction, no synchronize.
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: spec.entities,
    migrations: spec.migrations,
    synchronize: false,
    logging: ['error'],
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const what = applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'up to date';
    say('migrate', `${app.name}: database ${database}${created === 'created' ? ' (created)' : ''}: ${what}`);
  } finally {
    await dataSource.destroy();
  }
}

async function main() {
  const { apps, prefix } = parseArgs(process.argv.slice(2));
  say('migrate', `compiling the apps' migrations into ${path.relative(root, outDir)}/`);
  build(outDir);
  for (const app of apps) await migrate(app, prefix);
}

try {
  await main();
} catch (error) {
  // The message only: a database URL with a password is never printed.
  process.stderr.write(`[migrate] ${error.message}\n`);
  process.exit(1);
}
