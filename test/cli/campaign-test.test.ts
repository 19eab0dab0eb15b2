import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initialisedCli } from '../support/cli.js';

it('campaign test: an address that is not an admin user\'s is refused with exit status 2 and nothing is sent', () => {
  const { cli, data } = initialisedCli();
  const id = cli('campaign', 'create', '--purpose', 'newsletter', '--subject', 'Hallo', '--body', 'Vers gebrand.').trim();
  const outbox = join(data, 'outbox');
  const before = existsSync(outbox) ? readdirSync(outbox).length : 0;
  assert.throws(
    () => cli('campaign', 'test', id, '--to', 'klant@example.nl'),
    (e: { status: number; stderr: string }) => e.status === 2 && /to: a test goes only to the address of an admin user/.test(e.stderr),
  );
  assert.equal(existsSync(outbox) ? readdirSync(outbox).length : 0, before);
});
