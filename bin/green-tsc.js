#!/usr/bin/env node
'use strict';
require('../dist/transformer/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack || err); process.exitCode = 1; });
