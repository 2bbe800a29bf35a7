#!/usr/bin/env node
// A committed shim: npm links bins at install time, before `npm run build` has made dist/.
require('../dist/cli.cjs');
