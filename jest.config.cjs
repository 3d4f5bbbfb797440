// One Jest run over every project gives one summary for the whole workspace (`npm test`).
// Each project also has its own `test` target for `nx test <project>`.
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.cjs', '<rootDir>/libs/*/jest.config.cjs', '<rootDir>/infra/jest.config.cjs'],
};
