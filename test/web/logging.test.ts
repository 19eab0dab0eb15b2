import { it } from 'node:test';
import assert from 'node:assert/strict';
import { redactTokens } from '../../src/web/app.js';

it('request logs carry no link tokens and no query strings', () => {
  assert.equal(redactTokens('/u/eyJhIjoidW5zdWJzY3JpYmUifQ.c2ln?lang=nl'), '/u/…');
  assert.equal(redactTokens('/confirm/eyJhIjoiY29uZmlybSJ9.sig'), '/confirm/…');
  assert.equal(redactTokens('/manage/eyJ4In0.sig/export'), '/manage/…/export');
  assert.equal(redactTokens('/f/tips?email=jan@example.nl'), '/f/tips');
  assert.equal(redactTokens('/manage'), '/manage');
  assert.equal(redactTokens('/%75/eyJhIjoidW5zdWJzY3JpYmUifQ.c2ln'), '/u/…');
  assert.equal(redactTokens('/api/v1/contacts/jan@example.nl/facts?purpose=tips'), '/api/v1/contacts/…/facts');
  assert.equal(redactTokens('/confirm/%E0%A4%A'), '(malformed url)');
});
