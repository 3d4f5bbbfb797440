// Shared Jest settings for every project: swc transpiles TypeScript (with decorator
// metadata, which Nest's dependency injection needs); type checking is `npm run typecheck`.
const path = require('node:path');
const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^@zt/security$': path.join(root, 'libs/security/src/index.ts'),
    '^@zt/security/testing$': path.join(root, 'libs/security/src/testing/index.ts'),
    '^@zt/platform$': path.join(root, 'libs/platform/src/index.ts'),
    '^@zt/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stryker-tmp/'],
};
