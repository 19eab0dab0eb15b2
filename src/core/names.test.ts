import { it } from 'node:test';
import assert from 'node:assert/strict';
import { checkName, cleanName } from './names.js';

it('accepts ordinary names with accents and trims them', () => {
  assert.deepEqual(checkName('  Joëlle  '), { ok: true, value: 'Joëlle' });
  assert.deepEqual(checkName(''), { ok: true, value: '' });
});

it('refuses line breaks, escape sequences, NUL and bidi overrides', () => {
  for (const bad of ['a\nb', 'a\rb', 'a\u0001b', '\u001b[31mRED', 'x\u0000', 'evil\u202egnp.exe']) {
    assert.equal(checkName(bad).ok, false, JSON.stringify(bad));
  }
  assert.deepEqual(checkName('a\nb'), { ok: false, error: 'the name contains a line break' });
  assert.equal(checkName('x'.repeat(101)).ok, false);
});

it('cleans names from files', () => {
  assert.equal(cleanName('Jan\r\nJansen'), 'Jan Jansen');
  assert.equal(cleanName('\u001b[31mRED\u0007'), '[31mRED');
  assert.equal(cleanName('x'.repeat(150)).length, 100);
});

it('refuses zero-width characters in names', () => {
  assert.equal(checkName('Jan\u200bJansen').ok, false);
});
