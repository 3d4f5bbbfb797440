module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'authorization-server',
  rootDir: __dirname,
};
