#!/usr/bin/env node
// Committed shim (executable in git): tsc output in dist/ is not.
require('../dist/cli.js');
