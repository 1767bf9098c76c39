/**
 * The one jest preset every workspace uses: TypeScript through SWC (fast, no
 * type-check — `npm run typecheck` does that), tests under test/, named *.test.ts.
 */
const preset = {
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js)$': ['@swc/jest'] },
  // jose is ESM-only; Node 20.19+ loads it with require(), jest's module system
  // does not, so SWC turns it into CommonJS for tests.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Each module compiled once per worker, not once per test file (why: the
  // runtime's own comment).
  runtime: require.resolve('./jest.runtime.js'),
  // Infrastructure-bound suites share one Kafka and one MongoDB on 2 cores.
  maxWorkers: 2,
  testTimeout: 60_000,
};

/**
 * A workspace whose tests need Kafka and MongoDB: two jest projects, `domain`
 * (test/domain/, pure rules) and `infra` (every other test), the latter with the
 * devstack global setup, which brings the shared servers up or reuses them. Jest
 * runs a project's global setup only when one of its tests runs, so
 * `jest test/domain` starts no infrastructure.
 */
function withInfrastructure(
  globalSetup = require.resolve('@conecta/devstack/jest-global-setup'),
) {
  const { maxWorkers, testTimeout, ...project } = preset;
  return {
    maxWorkers,
    projects: [
      {
        ...project,
        displayName: 'domain',
        testMatch: ['<rootDir>/test/domain/**/*.test.ts'],
      },
      {
        ...project,
        displayName: 'infra',
        testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/domain/'],
        globalSetup,
      },
    ],
    testTimeout,
  };
}

module.exports = { preset, withInfrastructure };
