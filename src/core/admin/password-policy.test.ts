import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblem } from './password-policy.js';

test('password policy: length, common passwords, the address itself', () => {
  const cases: Array<[string, ReturnType<typeof passwordProblem>]> = [
    ['kort', 'too-short'],
    ['elf-tekens!', 'too-short'],
    ['😀😀😀😀😀😀😀😀😀😀😀', 'too-short'], // 11 characters, 22 UTF-16 units
    ['x'.repeat(257), 'too-long'],
    ['Password1234', 'common'],
    ['wachtwoord 123', 'common'],
    ['aaaaaaaaaaaaaaa', 'common'],
    ['jan.jansen@example.nl', 'is-address'],
    ['JanJansen', 'too-short'],
    ['jan.jansen2024', 'is-address'],
    ['koffie-branden-sinds-1921', null],
    ['😀😀😀😀😀😀😀😀😀😀😀😀', null],
  ];
  for (const [password, expected] of cases) assert.equal(passwordProblem(password, 'jan.jansen@example.nl'), expected, password);
});
