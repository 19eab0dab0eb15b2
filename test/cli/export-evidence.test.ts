/**
 * `consentry export evidence --out`: the file holds personal data and is 0600 (docs/evidence-format.md), also when
 * it existed before with a wider mode (GDPR 32).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialisedCli } from '../support/cli.js';

const octal = (p: string) => (statSync(p).mode & 0o777).toString(8);

it('export evidence --out writes a 0600 file, also over an existing 0644 one', { skip: process.platform === 'win32' && 'no POSIX modes' }, () => {
  const { dir, cli } = initialisedCli();
  const fresh = join(dir, 'fresh.jsonl');
  cli('export', 'evidence', '--out', fresh);
  assert.equal(octal(fresh), '600');
  const existing = join(dir, 'existing.jsonl');
  writeFileSync(existing, 'old content that is longer than nothing\n'.repeat(1000));
  chmodSync(existing, 0o644);
  cli('export', 'evidence', '--out', existing);
  assert.equal(octal(existing), '600');
  // Truncated and rewritten: a header first, nothing of the old content left.
  const text = readFileSync(existing, 'utf8');
  assert.equal(JSON.parse(text.split('\n')[0]!).type, 'header');
  assert.ok(!text.includes('old content'));
});
