import { it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';

it('uses the embedded defaults', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.smtpUrl, null);
  assert.match(c.database, /data\/consentry\.sqlite$/);
  assert.equal(c.baseUrl, null);
});

it('accepts https public URLs, and http only on localhost', () => {
  assert.equal(loadConfig({ CONSENTRY_BASE_URL: 'https://nieuws.example.nl/' }).baseUrl, 'https://nieuws.example.nl');
  assert.equal(loadConfig({ CONSENTRY_BASE_URL: 'http://localhost:8080' }).baseUrl, 'http://localhost:8080');
  for (const bad of ['http://nieuws.example.nl', 'ftp://nieuws.example.nl', 'http://localhost.evil.example']) {
    assert.throws(() => loadConfig({ CONSENTRY_BASE_URL: bad }), /CONSENTRY_BASE_URL: .*https/);
  }
});

it('names every invalid variable', () => {
  assert.throws(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://x' }), (e: Error) =>
    ['PORT', 'DATABASE_URL', 'SMTP_URL'].every((v) => e.message.includes(`${v}:`)),
  );
});
