// Jest config for mutation testing only (stryker.conf.mjs): the specs of the mutated files' own
// folders. A rule of the token verifier must be pinned by the verifier's, guard's and HTTP specs, not
// only incidentally by the Kafka or client specs; and leaving those out keeps each mutant run short
// (the whole library's suite ran in every run of a hot-path mutant: hours on two shared cores).
// Nothing here needs Kafka or PostgreSQL. Mutating another folder? Add its specs here.
const base = require('./jest.config.cjs');
module.exports = {
  ...base,
  testMatch: ['<rootDir>/src/{verification,authz,http}/**/*.spec.ts'],
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.integration\\.spec\\.ts$'],
};
