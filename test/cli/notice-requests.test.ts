import { it } from 'node:test';
import assert from 'node:assert/strict';
import { initialisedCli } from '../support/cli.js';

it('notice edit saves the texts as a draft that publish then publishes; requests add finds the contact by address', () => {
  const { cli } = initialisedCli();
  const saved = cli('notice', 'edit', '--set', 'provision_nl=Alleen uw e-mailadres is nodig.', '--set', 'provision_en=Only your address is needed.');
  const version = /saved draft version (\d+); complete: consentry notice publish \1/.exec(saved)?.[1];
  assert.ok(version, saved);
  assert.match(cli('notice', 'show'), new RegExp(`draft: version ${version}`));
  assert.match(cli('notice', 'edit', '--set', 'provision_nl=Alleen uw e-mailadres is nodig.'), /nothing changed/);
  assert.throws(() => cli('notice', 'edit', '--set', 'provision_nl'), /write field=text/);
  assert.throws(() => cli('notice', 'edit', '--set', 'automated=described'), /automated_nl/);
  assert.match(cli('notice', 'publish', version!), new RegExp(`published version ${version}`));
  assert.match(cli('notice', 'show'), /draft: none[\s\S]*current/);

  assert.throws(() => cli('requests', 'add', '--kind', 'access', '--channel', 'letter', '--contact', 'niemand@example.nl'), /no contact has this address or id/);
});
