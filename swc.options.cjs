// swc settings for running the workspace's TypeScript directly (Jest, benchmarks): decorator
// metadata on, as Nest's dependency injection needs. `npm run build` uses .swcrc, which has the same
// settings plus the rewriting of path aliases for dist/.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};
