import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialisedCli } from '../support/cli.js';

it('campaign preview --contacts: the contacts of each reason group, one group page by page', () => {
  const { dir, cli } = initialisedCli();
  const csv = join(dir, 'lijst.csv');
  writeFileSync(csv, 'E-mail;Status\nweg@example.com;afgemeld\na@example.com;actief\nb@example.com;actief\nc@example.com;actief\n');
  cli('import', 'csv', csv, '--purpose', 'newsletter', '--source', 'own_form_export', '--evidence', 'form', '--date', '2024-01-01');
  const id = (JSON.parse(cli('campaign', 'create', '--purpose', 'newsletter', '--subject', 'Hallo', '--body', 'x', '--json')) as { id: string }).id;
  const groups = JSON.parse(cli('campaign', 'preview', id, '--contacts', '--limit', '2', '--json')) as Array<{ code: string; allowed: boolean; contacts: Array<{ email: string }>; next: string | null }>;
  const allowed = groups.find((g) => g.allowed)!;
  assert.equal(allowed.contacts.length, 2);
  assert.ok(allowed.next, 'a third allowed contact follows');
  const rest = JSON.parse(cli('campaign', 'preview', id, '--contacts', '--reason', allowed.code, '--after', allowed.next!, '--json')) as typeof groups;
  assert.deepEqual(rest.map((g) => [g.code, g.contacts.length, g.next]), [[allowed.code, 1, null]]);
  const emails = [...allowed.contacts, ...rest[0]!.contacts].map((c) => c.email).sort();
  assert.deepEqual(emails, ['a@example.com', 'b@example.com', 'c@example.com']);
  assert.match(cli('campaign', 'preview', id, '--contacts'), /^allowed CONSENT_IMPORTED: .*\[GDPR 6\(1\)\(a\)/m);
});
