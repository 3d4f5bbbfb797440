// Shared Jest settings for every project: swc transpiles TypeScript (with decorator
// metadata, which Nest's dependency injection needs); type checking is `npm run typecheck`.
const path = require('node:path');
const root = __dirname;

module.exports = {
  testEnvironment: path.join(root, 'jest.environment.cjs'),
  transform: {
    '^.+\\.ts$': ['@swc/jest', require('./swc.options.cjs')],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^@zt/security$': path.join(root, 'libs/security/src/index.ts'),
    '^@zt/security/testing$': path.join(root, 'libs/security/src/testing/index.ts'),
    '^@zt/platform$': path.join(root, 'libs/platform/src/index.ts'),
    '^@zt/platform/testing$': path.join(root, 'libs/platform/src/testing/index.ts'),
    '^@zt/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
    '^@zt/dev-pki$': path.join(root, 'infra/pki/dev-pki.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stryker-tmp/'],
};
