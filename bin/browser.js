#!/usr/bin/env node
// Browser mode (`npm run start:browser`): checks the Node version, then runs the built server
// (out/main/browser.js) with the same arguments.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { requireSupportedNode } = require('./node-check');

requireSupportedNode();
const server = join(__dirname, '..', 'out', 'main', 'browser.js');
if (!existsSync(server)) {
  process.stderr.write('Settle is not built yet: run `npm run build` in the project folder first.\n');
  process.exit(1);
}
require(server);
