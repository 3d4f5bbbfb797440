// The payment story across the authorization server, payments, accounts, PostgreSQL and Kafka,
// composed in one process: an integration test of several apps, so it belongs to none of them.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'payment-flow',
  rootDir: __dirname,
};
