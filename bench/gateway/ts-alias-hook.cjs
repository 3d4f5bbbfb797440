// Lets plain `node` load the workspace's TypeScript (via bench/security/ts-hook.cjs) and resolves
// the @zt/* path aliases of tsconfig.base.json to their sources. Bench-only helper.
const Module = require('node:module');
const path = require('node:path');
require('../security/ts-hook.cjs');

const root = path.join(__dirname, '..', '..');
const ALIASES = {
  '@zt/security': 'libs/security/src/index.ts',
  '@zt/security/testing': 'libs/security/src/testing/index.ts',
  '@zt/platform': 'libs/platform/src/index.ts',
  '@zt/contracts': 'libs/contracts/src/index.ts',
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (ALIASES[request]) return path.join(root, ALIASES[request]);
  try {
    return resolve.call(this, request, ...rest);
  } catch (error) {
    // Extension-less relative imports of .ts files.
    if (request.startsWith('.')) return resolve.call(this, `${request}.ts`, ...rest);
    throw error;
  }
};
