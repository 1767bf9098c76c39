const { withInfrastructure } = require('../jest.preset.js');

// Issue 11: these files share one system per jest run — the five subgraphs,
// started once by the `system` project's global setup; each file puts its own
// gateway in front of them and isolates its data by unique ids and names.
// resilience.test.ts (stops subgraphs) and start-system.test.ts (`npm start`
// itself) start their own processes and stay in `infra`.
const SHARED_SYSTEM_FILES = [
  'access-matrix',
  'committees-standards',
  'gateway-e2e',
  'introspect',
  'national-scenario',
  'open-data',
].map((name) => `<rootDir>/test/${name}.test.ts`);

const base = withInfrastructure();
const infra = base.projects.find((p) => p.displayName === 'infra');

module.exports = {
  ...base,
  projects: [
    ...base.projects.map((project) =>
      project === infra
        ? {
            ...infra,
            testPathIgnorePatterns: [
              ...infra.testPathIgnorePatterns,
              ...SHARED_SYSTEM_FILES,
            ],
          }
        : project,
    ),
    {
      ...infra,
      displayName: 'system',
      testMatch: SHARED_SYSTEM_FILES,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
