#!/usr/bin/env node
// A committed shim, not dist/cli.js itself: npm links workspace bins at install
// time, when a fresh clone has no dist/ yet, and would skip a missing target
// (leaving `npm run infra:up` with "command not found").
try {
  require.resolve('../dist/cli.js');
} catch {
  process.stderr.write(
    'devstack: not built yet; run `npm run build -w @conecta/devstack` (npm run infra:up does it).\n',
  );
  process.exit(1);
}
require('../dist/cli.js');
