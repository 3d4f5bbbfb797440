// Mutation testing of the security-critical code (verification, guards, Kafka). Run from the repo root:
//   npx stryker run libs/security/stryker.conf.mjs
// (uses jest.stryker.config.cjs: the broker integration spec is left out, see there).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { configFile: 'libs/security/jest.stryker.config.cjs', enableFindRelatedTests: false },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables such as the algorithm -> key-type map) need a full suite run
  // each: ~450 of them took hours on 2 cores. They are reported as ignored; run with --ignoreStatic false
  // for the exhaustive (slow) pass.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 5000,
  mutate: [
    'libs/security/src/verification/**/*.ts',
    'libs/security/src/authz/**/*.ts',
    'libs/security/src/http/bearer-token.ts',
    'libs/security/src/http/rfc6750-exception.filter.ts',
    'libs/security/src/kafka/**/*.ts',
    '!libs/security/src/**/*.spec.ts',
    '!libs/security/src/verification/verifier-test-setup.ts',
  ],
  // Copy only what the tests need into the sandbox (not the other apps).
  ignorePatterns: ['/apps', '/e2e', '/bench', '/tmp', '/.tools', '/scripts', '/dist', '/libs/*', '!/libs/security', '/libs/security/reports'],
  // Not under a ".stryker-tmp" folder: the shared Jest preset ignores that path for test discovery.
  tempDirName: 'tmp/stryker-security',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'libs/security/reports/mutation/index.html' },
  jsonReporter: { fileName: 'libs/security/reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
};
