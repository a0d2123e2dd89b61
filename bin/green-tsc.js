#!/usr/bin/env node
'use strict';
// like TypeScript's own bin/tsc (lib/tsc.js): V8's on-disk compile cache where Node has it (>= 22.1)
try {
  const { enableCompileCache } = require('node:module');
  if (enableCompileCache) enableCompileCache();
} catch {}
require('../dist/transformer/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack || err); process.exitCode = 1; });
