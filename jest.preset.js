/**
 * The one jest preset every workspace extends: TypeScript through SWC (fast, no
 * type-check — `npm run typecheck` does that), tests under test/, named *.test.ts.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js)$': ['@swc/jest'] },
  // jose is ESM-only; Node 20.19+ loads it with require(), jest's module system
  // does not, so SWC turns it into CommonJS for tests.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Infrastructure-bound suites share one Kafka and one MongoDB on 2 cores.
  maxWorkers: 2,
  testTimeout: 60_000,
};
