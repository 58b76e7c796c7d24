// The architecture rules of docs/ARCHITECTURE.md that ESLint's built-in rules can't say:
// - settle/feature-imports: code outside a feature folder of src/main/core imports it only
//   through its index.ts (a sub-feature may still use its parent feature's modules).
// The feature list is the one the document describes; a new feature folder is added here.
'use strict';

const path = require('node:path');

const CORE = 'src/main/core';
/** Feature folders under src/main/core, sub-features included (longest match wins). */
const FEATURES = [
  'audit',
  'connectors',
  'connectors/demo',
  'connectors/qbo',
  'connectors/xero',
  'drafting',
  'followup',
  'ledger',
  'outreach',
  'outreach/approvals',
  'outreach/outbox',
  'outreach/senders',
  'scoring',
  'settings',
  'sync',
];

/** The feature a path under src/main/core belongs to, or null (kernel, db, infrastructure). */
function featureOf(relToCore) {
  let best = null;
  for (const f of FEATURES) {
    if ((relToCore === f || relToCore.startsWith(`${f}/`)) && (!best || f.length > best.length)) best = f;
  }
  return best;
}

const toPosix = (p) => p.split(path.sep).join('/');

const featureImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Import a feature of src/main/core only through its index.ts' },
    schema: [],
    messages: {
      deep: "Import {{feature}} through its index.ts ('{{index}}'), not '{{spec}}' (docs/ARCHITECTURE.md)",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = toPosix(path.relative(root, context.filename));
    if (!file.startsWith('src/')) return {};
    const fromCore = file.startsWith(`${CORE}/`) ? file.slice(CORE.length + 1) : null;
    const mine = fromCore === null ? null : featureOf(fromCore);

    function check(node) {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.(ts|tsx|js)$/, '');
      if (!target.startsWith(`${CORE}/`)) return;
      const rel = target.slice(CORE.length + 1);
      const theirs = featureOf(rel);
      if (!theirs || theirs === mine) return;
      // A sub-feature (connectors/qbo) may use its parent's modules (connectors/registry).
      if (mine && mine.startsWith(`${theirs}/`)) return;
      if (rel === theirs || rel === `${theirs}/index`) return;
      const index = path.posix.relative(path.posix.dirname(file), `${CORE}/${theirs}`);
      context.report({ node: node.source, messageId: 'deep', data: { feature: `${theirs}/`, index: index.startsWith('.') ? index : `./${index}`, spec } });
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

module.exports = { FEATURES, featureOf, plugin: { rules: { 'feature-imports': featureImports } } };
