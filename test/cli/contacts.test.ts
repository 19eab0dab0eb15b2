import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'consentry.js');

it('contacts show: an address known only as a suppression says so; list says how many of how many; proof lists the history with its evidence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-cli-'));
  // The embedded defaults in a folder of its own, whatever the calling shell has set.
  const env: NodeJS.ProcessEnv = { ...process.env, CONSENTRY_DATA_DIR: join(dir, 'data') };
  delete env.CONSENTRY_SECRET;
  delete env.DATABASE_URL;
  const cli = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  cli('init', '--org', 'Test BV', '--address', 'Straat 1, 1234 AB Utrecht', '--reply-to', 'info@test.example', '--from', 'nieuws@test.example');
  const csv = join(dir, 'afmeldingen.csv');
  writeFileSync(csv, 'E-mail;Status\nweg@example.com;afgemeld\nblijft@example.com;actief\n');
  cli('import', 'csv', csv, '--purpose', 'newsletter', '--source', 'own_form_export', '--evidence', 'form', '--date', '2024-01-01');
  assert.equal(
    cli('contacts', 'show', 'WEG@example.com').trim(),
    'no contact for WEG@example.com; the address is on the suppression list (imported_unsubscribed): it is not mailed unless the person subscribes again themselves',
  );
  assert.match(cli('contacts', 'list', '--query', 'blijft'), /^1 shown of 1 contacts \(query "blijft"\)\n/);
  const proof = cli('proof', 'blijft@example.com');
  assert.match(proof, /newsletter +A6-1-a +active +import +form +2024-01-01T00:00:00\.000Z/);
  assert.match(proof, /#1 2024-01-01T00:00:00\.000Z imported .*from csv afmeldingen\.csv:3, evidence "form"/);
});
