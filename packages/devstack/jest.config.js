module.exports = {
  ...require('../../jest.preset.js').preset,
  // The same global setup every other package uses, loaded from source so the
  // package's own tests run without a build (SWC transforms it like a test file).
  globalSetup: '<rootDir>/src/jest/global-setup.ts',
  // Starting, stopping and restarting brokers is slow on 2 cores.
  testTimeout: 180_000,
};
