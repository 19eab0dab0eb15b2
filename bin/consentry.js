#!/usr/bin/env node
// Entry point of the `consentry` command. It runs dist/ (compiled by scripts/build.mjs on `npm install` and
// `npm start`) when that build is newer than every file in src/: plain Node, about 75 MB less memory than
// tsx's loader. Otherwise, or with CONSENTRY_FROM_SOURCE=1 (the test runner sets it), it runs the TypeScript
// source through tsx, so an edit is never hidden behind an old build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// V8 lets an idle-memory heap grow by up to 4× between full collections; a sending server allocates ≈ 100 KB of
// short-lived data per message and peaked at 230-280 MB for 20,000 messages with ≈ 40 MB live. Growing by 10%
// keeps it near 160 MB for the same CPU (bench/README.md, sending). Read by V8 at each collection, so it applies
// when set here; a limit, which this is not, could not be changed after start.
setFlagsFromString('--heap-growing-percent=10');

const root = join(import.meta.dirname, '..');

/** The newest modification time of the files below `dir`, ms. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether dist/ was built after the last change in src/. */
function builtFresh() {
  try {
    return statSync(join(root, 'dist', '.built')).mtimeMs >= newest(join(root, 'src'));
  } catch {
    return false;
  }
}

if (process.env.CONSENTRY_FROM_SOURCE !== '1' && builtFresh()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
