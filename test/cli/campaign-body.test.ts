import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialisedCli } from '../support/cli.js';

it('campaign create: an empty body is refused with exit status 2, as other refusals are', () => {
  const { cli, dir } = initialisedCli();
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, ' \n\n');
  const base = ['campaign', 'create', '--purpose', 'newsletter', '--subject', 'Hallo'];
  assert.throws(() => cli(...base, '--body-file', empty), (e: { status: number; stderr: string }) => e.status === 2 && /body/.test(e.stderr) && /empty/.test(e.stderr));
  assert.throws(() => cli(...base), (e: { status: number; stderr: string }) => e.status === 2 && /--body-file/.test(e.stderr));
  assert.throws(() => cli('campaign', 'create', '--purpose', 'nope', '--subject', 'x', '--body', 'x'), (e: { status: number }) => e.status === 2, 'an unknown purpose exits 2 too');
});
