// Mutation testing of the token rules (issue 17, item 7): the four files that decide whether a
// request carries an acceptable token. CI runs it (`npm run test:mutation`) and fails under 95 %.
//   npx stryker run libs/security/stryker.conf.mjs
// Incremental: results are kept in stryker-incremental.json (committed), so a run mutates again only
// the code and tests that changed since; add `--force` to re-run every mutant.
// jest.stryker.config.cjs runs only the specs of the mutated folders (see there).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // findRelatedTests: a mutant's run loads only the spec files that import its file (the covering tests
  // are then picked by name), not all of them: loading every spec cost seconds per mutant.
  jest: { configFile: 'libs/security/jest.stryker.config.cjs', enableFindRelatedTests: true },
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables such as the algorithm -> key-type map) need a full suite run
  // each. They are reported as ignored; run with --ignoreStatic false for the exhaustive (slow) pass.
  ignoreStatic: true,
  concurrency: 2,
  // Generous: on shared CI cores a slow run is not an infinite loop (a timeout also costs a runner restart).
  timeoutMS: 10000,
  mutate: [
    'libs/security/src/verification/access-token-verifier.ts',
    'libs/security/src/verification/jws-signature.ts',
    'libs/security/src/authz/route-requirements.ts',
    'libs/security/src/http/bearer-token.ts',
  ],
  incremental: true,
  // Outside any "reports/" folder: that name is git-ignored, and this file must be committed.
  incrementalFile: 'libs/security/stryker-incremental.json',
  // Copy only what the tests need into the sandbox (not the other apps).
  ignorePatterns: [
    '/apps',
    '/e2e',
    '/bench',
    '/tmp',
    '/.tools',
    '/scripts',
    '/dist',
    '/libs/*',
    '!/libs/security',
    '/libs/security/reports',
    '/libs/security/stryker-incremental.json',
  ],
  // Not under a ".stryker-tmp" folder: the shared Jest preset ignores that path for test discovery.
  tempDirName: 'tmp/stryker-security',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'libs/security/reports/mutation/index.html' },
  jsonReporter: { fileName: 'libs/security/reports/mutation/mutation.json' },
  thresholds: { high: 97, low: 95, break: 95 },
};
