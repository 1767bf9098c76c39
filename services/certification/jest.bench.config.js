// `npm run bench`: the historical import's cost per batch at growing registry
// sizes, against the same real infrastructure as the tests.
const { preset } = require('../../jest.preset.js');
// The service loads Digital Bazaar's ESM-only libraries: the tests' pattern.
const { transformIgnorePatterns } = require('./jest.config.js').projects[0];

module.exports = {
  ...preset,
  globalSetup: require.resolve('@conecta/devstack/jest-global-setup'),
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  transformIgnorePatterns,
  // A benchmark pre-fills up to 100,000 certificates; it is not a test.
  testTimeout: 1_800_000,
  maxWorkers: 1,
};
