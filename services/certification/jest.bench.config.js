// `npm run bench`: the historical import's cost per batch at growing registry
// sizes, against the same real infrastructure as the tests.
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  // A benchmark pre-fills up to 100,000 certificates; it is not a test.
  testTimeout: 1_800_000,
  maxWorkers: 1,
};
