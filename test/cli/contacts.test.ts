import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialisedCli } from '../support/cli.js';

it('contacts show: an address known only as a suppression says so; list says how many of how many; proof lists the history with its evidence', () => {
  const { dir, cli } = initialisedCli();
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

it('facts employee: a free-mail address is recorded as private (staff mail needs consent) unless --work-address says otherwise (D2)', () => {
  const { cli } = initialisedCli();
  cli('contacts', 'add', 'eva.jansen@gmail.com', '--source', 'personal_contact');
  assert.match(cli('facts', 'employee', 'eva.jansen@gmail.com'), /employee, at a private address \(staff mail needs consent\); gmail\.com is a free-mail domain/);
  const facts = () => JSON.parse(cli('facts', 'show', 'eva.jansen@gmail.com', '--purpose', 'newsletter')).facts.contact;
  assert.deepEqual([facts().employee, facts().employeeWorkAddress], [true, false]);
  assert.match(cli('facts', 'employee', 'eva.jansen@gmail.com', '--work-address'), /employee, at their work address/);
  assert.equal(facts().employeeWorkAddress, true);
});
