module.exports = {
  ...require('../../jest.preset.js'),
  globalSetup: require.resolve('@conecta/devstack/jest-global-setup'),
};
