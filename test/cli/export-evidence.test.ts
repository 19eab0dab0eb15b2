/**
 * `consentry export evidence --out`: the file holds personal data and is 0600 (docs/evidence-format.md), also when
 * it existed before with a wider mode (GDPR 32).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'consentry.js');
const octal = (p: string) => (statSync(p).mode & 0o777).toString(8);

it('export evidence --out writes a 0600 file, also over an existing 0644 one', { skip: process.platform === 'win32' && 'no POSIX modes' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CONSENTRY_DATA_DIR: join(dir, 'data') };
  delete env.CONSENTRY_SECRET;
  delete env.DATABASE_URL;
  const cli = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  cli('init', '--org', 'Test BV', '--address', 'Straat 1, 1234 AB Utrecht', '--reply-to', 'info@test.example', '--from', 'nieuws@test.example');
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
