module.exports = {
  ...require('../../jest.preset.js'),
  // The MongoDB test needs the shared devstack servers; this brings them up or
  // reuses them and exports MONGODB_URI / KAFKA_BROKERS to the workers.
  globalSetup: require.resolve('@conecta/devstack/jest-global-setup'),
};
