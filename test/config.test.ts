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
  for (const bad of ['https://nieuws.example.nl/?x=1', 'https://user:pw@nieuws.example.nl', 'https://nieuws.example.nl/#top']) {
    assert.throws(() => loadConfig({ CONSENTRY_BASE_URL: bad }), /CONSENTRY_BASE_URL: must be a plain base URL/);
  }
});

it('names every invalid variable', () => {
  assert.throws(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://x' }), (e: Error) =>
    ['PORT', 'DATABASE_URL', 'SMTP_URL'].every((v) => e.message.includes(`${v}:`)),
  );
});

it('reads a DKIM key only with domain, selector and key file together', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'consentry-dkim-')), 'dkim.pem');
  writeFileSync(file, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const c = loadConfig({ DKIM_DOMAIN: 'deboon.example', DKIM_SELECTOR: 'mail2026', DKIM_PRIVATE_KEY_FILE: file });
  assert.deepEqual([c.dkim?.domainName, c.dkim?.keySelector], ['deboon.example', 'mail2026']);
  assert.match(c.dkim!.privateKey, /BEGIN PRIVATE KEY/);
  assert.equal(loadConfig({}).dkim, null);
  assert.throws(() => loadConfig({ DKIM_DOMAIN: 'deboon.example' }), /go together/);
  assert.throws(() => loadConfig({ DKIM_DOMAIN: 'deboon.example', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY_FILE: '/nonexistent.pem' }), /DKIM_PRIVATE_KEY_FILE: cannot read/);
});
