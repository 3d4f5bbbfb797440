// One Jest run over every project gives one summary for the whole workspace (`npm test`).
// Each project also has its own `test` target for `nx test <project>`.
module.exports = {
  // A global option (per-project values are ignored in a multi-project run): integration suites
  // start servers and brokers, so hooks get more than Jest's default 5 s.
  testTimeout: 30_000,
  projects: [
    '<rootDir>/apps/*/jest.config.cjs',
    '<rootDir>/libs/*/jest.config.cjs',
    '<rootDir>/tests/*/jest.config.cjs',
    '<rootDir>/infra/jest.config.cjs',
  ],
};
