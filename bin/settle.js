#!/usr/bin/env node
// The `settle` command: checks the Node version, then runs the built CLI (npm run build produces
// out/main/cli.js).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { requireSupportedNode } = require('./node-check');

requireSupportedNode();
const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('Settle is not built yet: run `npm run build` in the project folder first.\n');
  process.exit(1);
}
require(cli);
