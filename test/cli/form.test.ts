import { it } from 'node:test';
import assert from 'node:assert/strict';
import { initialisedCli } from '../support/cli.js';

it('form create: a further sign-up form for a purpose; an unknown purpose or a taken id is refused', () => {
  const { cli } = initialisedCli();
  assert.match(cli('form', 'create', 'beurs', '--purposes', 'newsletter', '--name', 'Beurs 2026'), /^form: http:\/\/localhost:3000\/f\/beurs\n$/);
  assert.throws(() => cli('form', 'create', 'beurs', '--purposes', 'newsletter'), /a form "beurs" exists already/);
  assert.throws(() => cli('form', 'create', 'andere', '--purposes', 'nope'), /there is no purpose "nope"/);
});
