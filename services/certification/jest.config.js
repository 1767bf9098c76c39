const { withInfrastructure } = require('../../jest.preset.js');

// Digital Bazaar's Data Integrity libraries are ESM-only, like jose: SWC turns
// them into CommonJS for jest (Node 20.19+ loads them with require() itself).
// jest.bench.config.js loads the same service, so it uses the same pattern.
const ESM_ONLY =
  '/node_modules/(?!(jose|@digitalbazaar|base58-universal|base64url-universal)/)';

const config = withInfrastructure();
for (const project of config.projects)
  project.transformIgnorePatterns = [ESM_ONLY];
module.exports = config;
