/**
 * The one jest preset every workspace extends: TypeScript through SWC (fast, no
 * type-check — `npm run typecheck` does that), tests under test/, named *.test.ts.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Infrastructure-bound suites share one Kafka and one MongoDB on 2 cores.
  maxWorkers: 2,
  testTimeout: 60_000,
};
