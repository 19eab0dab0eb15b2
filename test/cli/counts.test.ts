/**
 * `consentry counts verify|repair` as a user runs them: verify passes after an import, fails (exit code 1) naming
 * a kept count edited by hand, and repair puts it right.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { initialisedCli } from '../support/cli.js';

it('counts verify, an edited count, repair', () => {
  const { dir, data, cli } = initialisedCli();
  const csv = join(dir, 'lijst.csv');
  writeFileSync(csv, 'E-mail;Status\nweg@example.com;afgemeld\nanna@example.com;actief\nbert@example.com;actief\n');
  cli('import', 'csv', csv, '--purpose', 'newsletter', '--source', 'own_form_export', '--evidence', 'form', '--date', '2024-01-01');
  assert.match(cli('counts', 'verify'), /^counts OK$/m);

  const db = new Database(join(data, 'consentry.sqlite'));
  db.prepare("update permission_counts set n = n + 1 where purpose_id = 'newsletter' and status = 'active'").run();
  db.close();
  assert.throws(() => cli('counts', 'verify'), (e: { status: number; stdout: string }) =>
    e.status === 1 && /permissions newsletter\/active: kept 3, counted 2/.test(e.stdout) && /counts NOT OK: 1 difference/.test(e.stdout));
  assert.match(cli('counts', 'repair'), /repaired 1 count/);
  assert.match(cli('counts', 'verify'), /^counts OK$/m);
});
