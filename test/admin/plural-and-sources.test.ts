// Dutch pages call the regulation the AVG (stored codes and English say GDPR); counts of one contact read "1 contact".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { legalSource } from '../../src/web/legal-source.js';
import { at } from '../../src/web/admin/texts.js';

test('legal sources: AVG in Dutch, GDPR in English, other laws and article numbers kept', () => {
  assert.equal(legalSource('nl', 'GDPR 6(1)(a); Tw 11.7(1); GDPR 7(1)'), 'AVG 6(1)(a); Tw 11.7(1); AVG 7(1)');
  assert.equal(legalSource('en', 'GDPR 6(1)(a); Tw 11.7(1)'), 'GDPR 6(1)(a); Tw 11.7(1)');
});

test('counts of one contact use the singular in nl and en', () => {
  assert.match(at('nl', 'imports.notProvable', { count: 1 }), /^1 contact heeft geen aantoonbare grondslag en wordt niet gemaild/);
  assert.match(at('nl', 'imports.notProvable', { count: 2 }), /^2 contacten hebben/);
  assert.match(at('en', 'imports.notProvable', { count: 1 }), /^1 contact has no provable basis and is not mailed/);
  assert.equal(at('nl', 'audience.group', { count: 1 }), '1 contact');
});
