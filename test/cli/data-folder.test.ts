/**
 * Issue 13 item 8: one data folder per installation. With DATABASE_URL the database is shared wherever a process
 * starts, so the folder for files (outbox, media) must be named absolutely, once, for the server and every command.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { startServer } from '../../src/server.js';
import { DIALECTS } from '../support/stores.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'consentry.js');

it('with DATABASE_URL, an unset or relative CONSENTRY_DATA_DIR is refused, naming what to set; every path comes from the one folder', () => {
  const url = 'postgres://postgres@127.0.0.1:5432/consentry';
  assert.throws(() => loadConfig({ DATABASE_URL: url }), /CONSENTRY_DATA_DIR: not set; with DATABASE_URL set it must be an absolute path/);
  assert.throws(() => loadConfig({ DATABASE_URL: url, CONSENTRY_DATA_DIR: 'data' }), /CONSENTRY_DATA_DIR: "data" is relative/);
  const c = loadConfig({ DATABASE_URL: url, CONSENTRY_DATA_DIR: '/srv/consentry' });
  assert.deepEqual([c.database, c.paths], [url, { outbox: '/srv/consentry/outbox', media: '/srv/consentry/media' }]);
  // A command is refused the same way, before it touches anything.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.CONSENTRY_DATA_DIR;
  const r = spawnSync(process.execPath, [BIN, 'outbox'], { env, encoding: 'utf8', cwd: mkdtempSync(join(tmpdir(), 'consentry-cwd-')) });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /CONSENTRY_DATA_DIR: not set/);
});

for (const dialect of DIALECTS.filter((d) => d.name === 'postgres')) {
  describe('one data folder with PostgreSQL', () => {
    it('the server and commands started in other folders write the outbox in the same folder', async () => {
      const store = await dialect.open();
      const data = join(mkdtempSync(join(tmpdir(), 'consentry-install-')), 'data');
      const elsewhere = mkdtempSync(join(tmpdir(), 'consentry-cwd-'));
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: store.target, CONSENTRY_DATA_DIR: data };
      delete env.CONSENTRY_SECRET;
      delete env.SMTP_URL;
      const cli = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env, cwd: elsewhere, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const ctx = await createContext(loadConfig({ DATABASE_URL: store.target, CONSENTRY_DATA_DIR: data, LOG_LEVEL: 'silent' }));
      const server = await startServer(ctx, { host: '127.0.0.1', port: 0, jobs: [] });
      try {
        cli('init', '--org', 'Test BV', '--address', 'Straat 1, 1234 AB Utrecht', '--reply-to', 'info@test.example', '--from', 'nieuws@test.example', '--recipients', 'none', '--transfers', 'none');
        // The server sends a confirmation mail…
        const res = await fetch(`${server.url}/f/newsletter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'anna@example.nl', purposes: 'newsletter' }) });
        assert.equal(res.status, 200);
        // …and a command started in another folder sends a campaign.
        const list = join(elsewhere, 'lijst.csv');
        writeFileSync(list, 'E-mail,Voornaam\nbert@example.nl,Bert\n');
        cli('import', 'csv', list, '--purpose', 'newsletter', '--source', 'own_form_export', '--evidence', 'formulier', '--date', '2024-01-01');
        writeFileSync(join(elsewhere, 'body.md'), 'Hallo {{ first_name }}');
        const id = /[0-9a-f-]{36}/.exec(cli('campaign', 'create', '--purpose', 'newsletter', '--subject', 'Nieuws', '--body-file', join(elsewhere, 'body.md')))![0];
        cli('campaign', 'send', id);
        const files = readdirSync(join(data, 'outbox')).filter((f) => f.endsWith('.eml'));
        assert.equal(files.length, 2, `the confirmation and the campaign mail in ${data}/outbox: ${files.join(', ')}`);
        assert.equal(existsSync(join(elsewhere, 'data')), false, 'nothing written below the folder the command started in');
        assert.match(cli('outbox'), /anna@example\.nl[\s\S]*bert@example\.nl|bert@example\.nl[\s\S]*anna@example\.nl/);
      } finally {
        await server.stop();
        await ctx.close();
        await store.dispose();
      }
    });
  });
}
