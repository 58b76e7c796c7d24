// Files allowed past the size caps of docs/ARCHITECTURE.md, each with the limit it has today.
// This list may only shrink: test/unit/lint/architecture.test.ts fails when an entry is no longer
// needed (the file fits the cap) or has a looser limit than the file needs.
'use strict';

/** @type {{ file: string, functionLines?: number, fileLines?: number, why: string }[]} */
module.exports = [
  {
    file: 'src/main/index.ts',
    functionLines: 160,
    why: "Electron's composition root: it imports electron at run time, so no test here can load it; split it when CI can launch Electron.",
  },
];
