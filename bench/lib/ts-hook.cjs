// Lets plain `node` run the workspace's TypeScript for benchmarks: each .ts file is compiled
// with @swc/core (decorator metadata on, as Nest needs) when first required, and the path
// aliases of tsconfig.base.json (@zt/security, ...) resolve to their sources. For benchmarks, and
// for infra/production-by-default.spec.ts, which starts each app's real main.ts without a build.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const swcOptions = require('../../swc.options.cjs');

const root = path.resolve(__dirname, '../..');
const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const aliases = Object.fromEntries(Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, target)]));

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { filename, ...swcOptions });
  module._compile(code, filename);
};
