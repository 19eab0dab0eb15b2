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
  const ed = join(mkdtempSync(join(tmpdir(), 'consentry-dkim-')), 'ed.pem');
  writeFileSync(ed, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  assert.throws(() => loadConfig({ DKIM_DOMAIN: 'deboon.example', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY_FILE: ed }), /DKIM_PRIVATE_KEY_FILE: an ed25519 key; DKIM signs with an RSA key/);
});

it('names the variable for a bad URL and a bad HOST; PORT takes decimal digits only; an empty value is an error', () => {
  const fails = (env: Record<string, string>, re: RegExp) => assert.throws(() => loadConfig(env), re, JSON.stringify(env));
  fails({ CONSENTRY_BASE_URL: 'not-a-url' }, /CONSENTRY_BASE_URL: must be a URL/);
  for (const host of ['bad host!', 'exa_mple', '-x', '1.2.3.4:80']) fails({ HOST: host }, /HOST: must be an IP address/);
  for (const host of ['0.0.0.0', '::', 'localhost', 'consentry.internal']) assert.equal(loadConfig({ HOST: host }).host, host);
  for (const port of ['0x7A21', '1e3', ' 80', '+80', '80.0', '65536', '-1']) fails({ PORT: port }, /PORT: must be a port number/);
  assert.equal(loadConfig({ PORT: '08080' }).port, 8080);
  for (const name of ['PORT', 'HOST', 'CONSENTRY_DATA_DIR', 'SMTP_URL', 'LOG_LEVEL', 'CONSENTRY_SECRET']) fails({ [name]: '' }, new RegExp(`${name}: is empty`));
  assert.equal(loadConfig({ SOME_OTHER_VARIABLE: '' }).port, 3000, 'other variables are not ours to judge');
});

it('LOG_LEVEL=warn silences information lines: the request log and the start-up lines', async () => {
  const { logs } = await import('../src/config.js');
  assert.equal(logs('warn', 'info'), false);
  assert.equal(logs('warn', 'warn'), true);
  assert.equal(logs('info', 'info'), true);
  assert.equal(logs('silent', 'fatal'), false);
  const { buildApp } = await import('../src/web/app.js');
  const { sqliteStore } = await import('./support/stores.js');
  const { world } = await import('./support/setup.js');
  const store = await sqliteStore();
  try {
    const w = await world(store);
    const app = await buildApp(w.deps, { logger: true, logLevel: 'warn' });
    assert.equal(app.log.level, 'warn', 'info lines are below it');
    assert.equal((await buildApp(w.deps, { logger: true })).log.level, 'info', 'info by default');
  } finally {
    await store.dispose();
  }
});
