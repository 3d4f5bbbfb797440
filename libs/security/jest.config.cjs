// Longer timeout than Jest's 5 s: RSA key generation, real servers and the Kafka broker run in
// hooks, and under Stryker (instrumented code, one process) they can take a few seconds.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'security',
  rootDir: __dirname,
  testTimeout: 30_000,
};
