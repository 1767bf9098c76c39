#!/usr/bin/env node
// `npm run dlq -- list|show|redrive` (root package.json). A committed shim
// calling the built CLI, as devstack's bin does: it says what to do when
// dist/ is not built yet instead of failing on a missing module.
try {
  require.resolve('../dist/dlq-cli.js');
} catch {
  process.stderr.write(
    'dlq: @conecta/events is not built yet; run `npm run build -w @conecta/events` (npm run dlq does it).\n',
  );
  process.exit(1);
}
require('../dist/dlq-cli.js').main();
