#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (Node 20's --test has no glob support).
// Usage: node scripts/run-tests.mjs [path-filter ...]   e.g. `node scripts/run-tests.mjs ledger` runs matching files only.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Lists test files below `dir` (relative paths, sorted). */
function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['src', 'test']
  .flatMap((d) => findTests(d))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// --test-force-exit: a file whose tests all finished ends even if a handle stays open (a peer socket of a killed
// child kept test/services/sending.test.ts alive after its last test), so one leak cannot hang CI until its limit.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', '--test-concurrency=2', ...files],
  // Commands the tests start through bin/consentry.js run the source too, never a build in dist/.
  { stdio: 'inherit', env: { ...process.env, CONSENTRY_FROM_SOURCE: '1' } },
);
process.exit(result.status ?? 1);
