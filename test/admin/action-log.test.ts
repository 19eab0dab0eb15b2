// The action log is written at the boundaries: admin POSTs, API calls that change something, CLI commands
// that change something; it names contacts by id, never by address; owners read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { readActionLog } from '../../src/services/admin/action-log.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { changesSomething, commandPath } from '../../src/cli/action-log.js';
import { adminHarness, GOOD_PASSWORD } from '../support/admin.js';

test('admin and API changes are logged with actor, action and object; reads and refusals are not', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  await owner.post('/admin/users', { email: 'x@deboon.example', role: 'editor', password: 'kort' }); // refused: 400
  await owner.post('/admin/users', { email: 'redactie@deboon.example', role: 'editor', password: GOOD_PASSWORD });
  await owner.get('/admin/users');
  const viewer = await h.as('viewer');
  await viewer.post('/admin/users', { email: 'y@deboon.example', role: 'owner', password: GOOD_PASSWORD }); // 403
  await viewer.post('/admin/logout');

  const key = await createApiKey(h.deps, 'webshop', 'editor');
  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
  assert.equal((await api('POST', '/api/v1/contacts', { email: 'klant@voorbeeld.nl', source: 'trade_fair' })).statusCode, 201);
  await api('GET', '/api/v1/campaigns');
  await api('POST', '/api/v1/decisions', {});
  const purchase = await api('POST', '/api/v1/contacts/klant@voorbeeld.nl/purchases', { productCategory: 'koffie', date: '2026-11-01', optOut: 'clear' });
  assert.equal(purchase.statusCode, 201, purchase.body);

  const { entries } = await readActionLog(h.deps);
  const contactId = (await h.deps.db.selectFrom('contacts').select('id').where('email', '=', 'klant@voorbeeld.nl').executeTakeFirstOrThrow()).id;
  const rows = entries.map((e) => [e.actor.kind, e.actor.name, e.action, e.object.kind, e.object.id]).reverse();
  assert.deepEqual(rows, [
    ['user', 'eigenaar@deboon.example', 'POST /admin/users', 'users', null],
    ['api_key', 'webshop', 'POST /api/v1/contacts', 'contacts', null],
    ['api_key', 'webshop', 'POST /api/v1/contacts/:id/purchases', 'contacts', contactId],
  ]);
  const all = JSON.stringify(await h.deps.db.selectFrom('admin_actions').selectAll().execute());
  assert.doesNotMatch(all, /klant@voorbeeld/, 'no data subject address in the log');

  const page = await owner.get('/admin/actions?lang=en');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /POST \/api\/v1\/contacts\/:id\/purchases/);
  assert.match(page.body, /webshop <span class="badge">API key<\/span>/);
  assert.match(page.body, /Purchase recorded<br><code class="small">POST \/api\/v1\/contacts\/:id\/purchases<\/code>/, 'words, the API route small under them');
  assert.match(page.body, /data-label="What">User added</);
  const nl = (await owner.get('/admin/actions?lang=nl')).body;
  assert.match(nl, /data-label="Wat">Gebruiker toegevoegd</);
  assert.match(nl, /data-label="Object">gebruiker</);
  assert.doesNotMatch(nl, /POST \/admin/, 'no route codes for what was done in the admin app');
  assert.equal((await viewer.get('/admin/actions')).statusCode, 303, 'signed out');
  assert.equal((await (await h.as('editor')).get('/admin/actions')).statusCode, 403);
});

test('the log pages newest first with a keyset cursor', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const { logAction } = await import('../../src/services/admin/action-log.js');
  for (let i = 0; i < 60; i++) await logAction(h.deps, { actor: { kind: 'cli', id: null, name: 'cli:test' }, action: `cli step ${i}` });
  const first = await readActionLog(h.deps, { limit: 50 });
  assert.equal(first.entries[0]!.action, 'cli step 59');
  const second = await readActionLog(h.deps, { limit: 50, before: first.next! });
  assert.deepEqual(second.entries.map((e) => e.action), Array.from({ length: 10 }, (_, i) => `cli step ${9 - i}`));
  assert.equal(second.next, null);
  const owner = await h.signIn();
  const page1 = await owner.get('/admin/actions');
  const next = /href="(\/admin\/actions\?after=\d+)"/.exec(page1.body)?.[1];
  assert.ok(next);
  assert.match((await owner.get(next!.replace(/&amp;/g, '&'))).body, /Opdracht op de opdrachtregel<br><code class="small">consentry step 0<\/code>/);
});

test('CLI: which commands are logged', () => {
  const program = new Command('consentry');
  const user = program.command('user');
  const add = user.command('add');
  assert.equal(commandPath(add), 'user add');
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['user add', {}, true],
    ['user list', {}, false],
    ['contacts show', {}, false],
    ['campaign send', {}, true],
    ['retention run', { dryRun: true }, false],
    ['retention run', {}, true],
    ['serve', {}, false],
    ['erase', {}, true],
  ];
  for (const [path, opts, logged] of cases) assert.equal(changesSomething(path, opts), logged, path);
});
