// The audit page: each audit group lists exactly its contacts in the contacts list (SQLite and PostgreSQL), with
// keyset pages; the re-permission start per role, CSRF and validation; names shown as text; screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { adminHarness, type AdminHarness } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { DIALECTS } from '../support/stores.js';
import { linkIn } from '../support/setup.js';
import { listOutbox, readOutboxMessage } from '../../src/mail/outbox.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { addContact } from '../../src/services/consent/relationships.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { AUDIT_GROUPS, auditList } from '../../src/services/lists/audit.js';
import { listContactPage } from '../../src/services/lists/contact-list.js';
import { outboxFolderOf } from '../../src/services/rights/manage.js';
import type { DomainError } from '../../src/services/errors.js';

const NAME = '<script>alert(1)</script>"onmouseover=x';
const NOW = '2026-11-30T10:00:00.000Z';

async function confirmToken(h: AdminHarness, to: string): Promise<string> {
  const dir = outboxFolderOf(h.deps.mailer)!;
  const entries = (await listOutbox(dir)).filter((e) => e.to.includes(to));
  const raw = await readOutboxMessage(dir, entries[entries.length - 1]!.file);
  return linkIn(raw.replace(/=\r?\n/g, ''), `${h.deps.baseUrl}/confirm/`).split('/confirm/')[1]!;
}

/** An imported permission that cannot prove consent, from an import with or without an evidence document. */
async function notProvable(h: AdminHarness, email: string, importId: string): Promise<void> {
  const { contact } = await addContact(h.deps, { email, kind: 'person', source: 'import', sourceRef: 'oud bestand' });
  await h.deps.db.insertInto('permissions').values({
    id: randomUUID(), contact_id: contact.id, purpose_id: 'tips', basis: 'A6-1-a', status: 'active', method: 'not_provable', source_kind: 'import',
    given_at: null, confirmed_at: null, withdrawn_at: null, third_party_evidence: 0, evidence_event_id: 'x', import_id: importId, notice_version: null, created_at: NOW, updated_at: NOW,
  }).execute();
}

/** One contact per group, two in "no provable basis" (for paging); the expected addresses per group. */
async function seed(h: AdminHarness): Promise<Record<(typeof AUDIT_GROUPS)[number], string[]>> {
  const sign = (email: string) => subscribe(h.deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: '192.0.2.1', userAgent: null });
  await sign('anna@example.nl');
  await confirm(h.deps, { token: await confirmToken(h, 'anna@example.nl'), ip: null, userAgent: null });
  await sign('bert@example.nl');
  const carl = (await sign('carl@example.nl')).contactId;
  await unsubscribe(h.deps, { token: unsubscribeUrl(h.deps, carl, 'tips', null).split('/u/')[1]!, scope: 'purpose', channel: 'page' });
  for (const [id, ref] of [['imp-doc', 'Mailchimp export 2019, DOC-7'], ['imp-none', null]] as const) {
    await h.deps.db.insertInto('imports').values({ id, format: 'csv', source_kind: 'import', purpose_id: 'tips', basis: 'A6-1-a', evidence_ref: ref, input_digest: id, started_at: NOW, finished_at: NOW, counts: '{}' }).execute();
  }
  await notProvable(h, 'dora@example.nl', 'imp-doc');
  await notProvable(h, 'eve@example.nl', 'imp-none');
  await notProvable(h, 'gus@example.nl', 'imp-none');
  await addContact(h.deps, { email: 'fred@example.nl', kind: 'person', source: 'trade_fair', sourceRef: 'Horecava' });
  // Imported consent with its opt-in time but no confirmation time and no IP: mailable on weak proof.
  const { contact: hank } = await addContact(h.deps, { email: 'hank@example.nl', kind: 'person', source: 'import', sourceRef: 'oud bestand' });
  await h.deps.db.insertInto('permissions').values({
    id: randomUUID(), contact_id: hank.id, purpose_id: 'tips', basis: 'A6-1-a', status: 'active', method: 'import', source_kind: 'import',
    given_at: '2019-05-01T10:00:00.000Z', confirmed_at: null, withdrawn_at: null, third_party_evidence: 0, evidence_event_id: 'x', import_id: 'imp-none', notice_version: null, created_at: NOW, updated_at: NOW,
  }).execute();
  return {
    mailable: ['anna@example.nl', 'hank@example.nl'],
    weak_proof: ['hank@example.nl'],
    blocked_documented: ['dora@example.nl'],
    opted_out: ['carl@example.nl'],
    pending: ['bert@example.nl'],
    needs_repermission: ['dora@example.nl', 'hank@example.nl'],
    no_provable_basis: ['eve@example.nl', 'gus@example.nl'],
    no_permission: ['fred@example.nl'],
  };
}

for (const { name, open } of DIALECTS) {
  test(`audit groups in the contacts list: exactly the audit's contacts, a page at a time (${name})`, async (t) => {
    const h = await adminHarness({ store: await open() });
    t.after(() => h.close());
    const expected = await seed(h);
    const [tips] = (await auditList(h.deps)).purposes;
    assert.deepEqual(
      [tips!.mailable.count, tips!.optedOut.count, tips!.pending.count, tips!.needsRepermission.count, tips!.noProvableBasis.count, tips!.noPermission],
      [2, 1, 1, 2, 2, 1],
    );
    // The disjoint groups add up to the contacts; weak proof is a part of mailable.
    const r = tips!.needsRepermission;
    assert.equal(tips!.mailable.count + r.blockedDocumented.count + tips!.pending.count + tips!.optedOut.count + tips!.noProvableBasis.count + tips!.noPermission, tips!.contacts);
    assert.deepEqual([tips!.contacts, r.weakProof.count, r.blockedDocumented.count], [8, 1, 1]);
    for (const group of AUDIT_GROUPS) {
      const page = await listContactPage(h.deps, { purpose: 'tips', group });
      assert.equal(page.order, 'audit');
      assert.deepEqual(page.items.map((c) => c.email).sort(), expected[group], group);
      assert.equal(page.next, null);
    }
    const first = await listContactPage(h.deps, { purpose: 'tips', group: 'no_provable_basis', limit: 1 });
    assert.equal(first.items.length, 1);
    assert.ok(first.next);
    const second = await listContactPage(h.deps, { purpose: 'tips', group: 'no_provable_basis', limit: 1, after: first.next! });
    assert.deepEqual([...first.items, ...second.items].map((c) => c.email).sort(), expected.no_provable_basis);
    assert.equal(second.next, null);
    await assert.rejects(listContactPage(h.deps, { group: 'pending' }), (e: DomainError) => e.field === 'group');
    await assert.rejects(listContactPage(h.deps, { purpose: 'tips', group: 'pending', q: 'anna' }), (e: DomainError) => e.code === 'group-alone');
  });
}

test('audit page: groups link to their contacts; re-permission start per role, CSRF, validation; names as text', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await seed(h);
  await h.deps.db.updateTable('purposes').set({ name_nl: NAME, name_en: NAME }).where('id', '=', 'tips').execute();

  const viewer = await h.as('viewer');
  const page = await viewer.get('/admin/audit?lang=en');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.doesNotMatch(page.body, /"onmouseover=/);
  assert.match(page.body, /<h2 id="purpose-tips">&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;onmouseover=x<\/h2>/);
  assert.match(page.body, /href="\/admin\/contacts\?purpose=tips&amp;group=no_provable_basis">Show contacts<\/a>/);
  assert.match(page.body, /No provable basis[\s\S]*?data-label="Count">2</);
  assert.match(page.body, /<code>BASIS_NOT_PROVABLE<\/code>: 1/);
  // Finding 2: the groups add up (8 contacts); weak proof is shown as a part of "May be mailed", not beside it.
  assert.match(page.body, /placed in exactly one group; the groups add up to the total\. The indented line &quot;of whom on weak proof&quot; is part of &quot;May be mailed&quot;/);
  assert.match(page.body, />May be mailed<\/span>[\s\S]*?data-label="Count">2<[\s\S]*?<span class="subset">of whom on weak proof: ask for permission again<br><span class="hint">Already counted in &quot;May be mailed&quot;[\s\S]*?data-label="Count">1<[\s\S]*?group=weak_proof"/);
  assert.match(page.body, /Blocked; may be asked for permission once more[\s\S]*?data-label="Count">1</);
  assert.match(page.body, /<strong>Total<\/strong>[\s\S]*?<strong>8<\/strong>/);
  assert.doesNotMatch(page.body, /data-label="Count">3</, 'no row counts the weak proof twice');
  assert.doesNotMatch(page.body, /action="\/admin\/audit\/repermission"/, 'a viewer gets no start button');
  const list = await viewer.get('/admin/contacts?purpose=tips&group=needs_repermission');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, />dora@example.nl<\/a>/);
  assert.match(list.body, />hank@example.nl<\/a>/);
  assert.doesNotMatch(list.body, />eve@example.nl<\/a>/);
  assert.match(list.body, /<option value="needs_repermission" selected>/);

  const editor = await h.as('editor');
  assert.match((await editor.get('/admin/audit')).body, /action="\/admin\/audit\/repermission"/);
  const count = async () => (await h.deps.db.selectFrom('campaigns').select('id').execute()).length;
  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/audit/repermission', { purpose: 'tips', language: 'nl' }, '/admin/audit');
  assert.equal((await editor.post('/admin/audit/repermission', { purpose: 'tips', language: 'nl' }, { noCsrf: true })).statusCode, 403);
  const bad = await editor.post('/admin/audit/repermission', { purpose: 'tips', language: 'fr' }, { csrfFrom: '/admin/audit' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="language-error">/);
  assert.equal((await editor.post('/admin/audit/repermission', { purpose: 'nope', language: 'nl' }, { csrfFrom: '/admin/audit' })).statusCode, 404);
  assert.equal(await count(), 0, 'nothing created');

  const ok = await editor.post('/admin/audit/repermission', { purpose: 'tips', language: 'en' }, { csrfFrom: '/admin/audit' });
  assert.equal(ok.statusCode, 303);
  const id = /^\/admin\/campaigns\/([0-9a-f-]{36})$/.exec(String(ok.headers.location))?.[1];
  assert.ok(id, String(ok.headers.location));
  const c = await h.deps.db.selectFrom('campaigns').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
  assert.deepEqual([c.category, c.status, c.purpose_id, c.language, c.repermission_deadline], ['repermission', 'draft', 'tips', 'en', '2026-12-30T10:00:00.000Z']);
  assert.match(c.body, /sign up again before 30 December 2026: http:\/\/localhost:3000\/f\/tips/);
  assert.equal((await (await h.signIn()).post('/admin/audit/repermission', { purpose: 'tips', language: 'nl' }, { csrfFrom: '/admin/audit' })).statusCode, 303, 'an owner may too');
});

test('audit screenshots (nl/en, 1280/390)', { skip: browserSkip }, async (t) => {
  const h = await adminHarness();
  await seed(h);
  const b = await adminBrowser(t, { harness: h });
  const page = await b.signedIn();
  await b.shots(page, 'audit', '/admin/audit');
  await b.shots(page, 'audit-contacts', '/admin/contacts?purpose=tips&group=no_provable_basis');
});
