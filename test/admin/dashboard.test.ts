// The dashboard: figures of a small known data set on SQLite and PostgreSQL (contacts per purpose and status,
// sign-ups, confirmations and unsubscribes per local day, campaigns sending, requests overdue first, every
// warning), the page for every role with names shown as text, the chart and its figures, and screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { adminHarness, type AdminHarness } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { DIALECTS } from '../support/stores.js';
import { linkIn } from '../support/setup.js';
import { listOutbox, readOutboxMessage } from '../../src/mail/outbox.js';
import { dashboard } from '../../src/services/admin/dashboard.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { addRequest } from '../../src/services/rights/requests.js';
import { outboxFolderOf } from '../../src/services/rights/manage.js';

const NAME = '<script>alert(1)</script>"onmouseover=x';

/** The last confirmation link mailed to `to`. */
async function confirmToken(h: AdminHarness, to: string): Promise<string> {
  const dir = outboxFolderOf(h.deps.mailer)!;
  const entries = (await listOutbox(dir)).filter((e) => e.to.includes(to));
  const raw = await readOutboxMessage(dir, entries[entries.length - 1]!.file);
  return linkIn(raw.replace(/=\r?\n/g, ''), `${h.deps.baseUrl}/confirm/`).split('/confirm/')[1]!;
}

/**
 * The known data set (clock 2026-11-30T10:00Z; Europe/Amsterdam is UTC+1):
 *  - old@ signed up 2026-08-20 (outside the 90 days), still pending;
 *  - anna@ and bert@ signed up 2026-11-28 09:00Z; anna confirmed 2026-11-29 23:30Z (local 30 Nov 00:30);
 *    bert unsubscribed 2026-11-30 08:00Z;
 *  - a second purpose "ebook" added behind the notice's back (the notice misses it);
 *  - a campaign sending (1 of 2 deliveries done), one paused by a relay failure (name with markup);
 *  - requests: one overdue, one open; a failed webhook message; a bounce report kept for review.
 */
async function seed(h: AdminHarness): Promise<{ anna: string; bert: string }> {
  const { clock, deps } = h;
  const at = (iso: string) => clock.set(new Date(iso));
  const sign = (email: string) => subscribe(deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  at('2026-08-20T10:00:00Z');
  await sign('old@example.nl');
  at('2026-11-28T09:00:00Z');
  const anna = (await sign('anna@example.nl')).contactId;
  const bert = (await sign('bert@example.nl')).contactId;
  at('2026-11-29T23:30:00Z');
  await confirm(deps, { token: await confirmToken(h, 'anna@example.nl'), ip: null, userAgent: null });
  at('2026-11-30T08:00:00Z');
  await unsubscribe(deps, { token: unsubscribeUrl(deps, bert, 'tips', null).split('/u/')[1]!, scope: 'purpose', channel: 'one-click' });
  at('2026-11-30T10:00:00Z');

  const now = '2026-11-30T10:00:00.000Z';
  await deps.db.insertInto('purposes').values({ id: 'ebook', name_nl: 'E-boek', name_en: 'E-book', description_nl: 'x', description_en: 'x', category: 'service', double_opt_in: 1, retention: '{}', created_at: '2026-11-30T10:00:01.000Z' }).execute();
  const campaign = (id: string, status: string, extra: Record<string, unknown> = {}) =>
    deps.db.insertInto('campaigns').values({ id, name: id === 'c-paused' ? NAME : 'Decembertips', purpose_id: 'tips', category: 'purpose_marketing', subject: 's', body: 'b', status, third_party: 0, other_legal_entity: 0, created_at: now, started_at: '2026-11-30T09:00:00.000Z', ...extra }).execute();
  await campaign('c-sending', 'sending');
  await campaign('c-paused', 'paused', { paused_reason: 'relay failure: 554 5.7.1 <Relay access denied>', paused_at: '2026-11-30T09:30:00.000Z' });
  await campaign('c-operator', 'paused', { paused_reason: 'operator', paused_at: '2026-11-30T09:30:00.000Z' });
  for (const [contact, state] of [[anna, 'sent'], [bert, 'queued']] as const) {
    await deps.db.insertInto('deliveries').values({ id: randomUUID(), campaign_id: 'c-sending', contact_id: contact, state, reasons: '[]', basis: null, attempts: 0, lease_until: null, claimed_by: null, smtp_reply: null, message_id: randomUUID(), sent_at: state === 'sent' ? now : null, created_at: now, updated_at: now }).execute();
  }
  await addRequest(deps, { kind: 'access', channel: 'email', receivedAt: new Date('2026-11-25T10:00:00Z') });
  await addRequest(deps, { kind: 'erasure', channel: 'letter', receivedAt: new Date('2026-10-01T10:00:00Z') });
  await deps.db.insertInto('webhook_endpoints').values({ id: 'we1', url: 'https://hooks.example/x', events: '[]', secret: 'whsec_x', description: null, created_at: now }).execute();
  await deps.db.insertInto('webhook_messages').values({ id: 'msg_1', endpoint_id: 'we1', event_type: 'contact.confirmed', contact_id: null, data: '{}', occurred_at: now, state: 'failed', attempts: 8, next_attempt_at: null, lease_until: null, last_attempt_at: now, last_status: 500, last_response: null, last_error: null, created_at: now, delivered_at: null }).execute();
  await deps.db.insertInto('unreadable_reports').values({ id: 'r1', received_at: now, route: 'smtp', reason: 'unparsable', detail: null, size: 10, raw: 'x', reviewed_at: null }).execute();
  return { anna, bert };
}

for (const { name, open } of DIALECTS) {
  test(`dashboard figures of a known data set (${name})`, async (t) => {
    const h = await adminHarness({ store: await open() });
    t.after(() => h.close());
    await seed(h);
    const d = await dashboard(h.deps);

    assert.equal(d.contacts, 3);
    assert.equal(d.suppressed, 0);
    assert.deepEqual(d.purposes.map((p) => [p.id, p.byStatus, p.total]), [
      ['tips', { pending: 1, active: 1, withdrawn: 1, expired: 0, objected: 0 }, 3],
      ['ebook', { pending: 0, active: 0, withdrawn: 0, expired: 0, objected: 0 }, 0],
    ]);

    const act = d.activity;
    assert.equal(act.days.length, 90);
    assert.equal(act.days[89], '2026-11-30');
    assert.equal(act.days[0], '2026-09-02');
    const on = (day: string) => {
      const i = act.days.indexOf(day);
      return [act.series.signups[i], act.series.confirmations[i], act.series.unsubscribes[i]];
    };
    assert.deepEqual(on('2026-11-28'), [2, 0, 0]);
    assert.deepEqual(on('2026-11-29'), [0, 0, 0], 'confirmed at 23:30 UTC is 30 Nov in Amsterdam');
    assert.deepEqual(on('2026-11-30'), [0, 1, 1]);
    assert.deepEqual(act.totals, { signups: 2, confirmations: 1, unsubscribes: 1 }, 'the August sign-up is outside the 90 days');

    assert.deepEqual(d.sending.map((c) => [c.id, c.done, c.total]), [['c-sending', 1, 2]]);
    assert.deepEqual(d.requests.map((r) => [r.kind, r.state]), [['erasure', 'overdue'], ['access', 'open']]);

    const codes = d.warnings.map((w) => w.code);
    assert.deepEqual(codes, ['notice-missing', 'no-smtp', 'requests-overdue', 'retention-due', 'relay-paused', 'webhooks-failed', 'reports-to-review']);
    const notice = d.warnings.find((w) => w.code === 'notice-missing');
    assert.ok(notice?.code === 'notice-missing' && notice.items.some((i) => i.field === 'purposes.ebook'));
    const paused = d.warnings.find((w) => w.code === 'relay-paused');
    assert.ok(paused?.code === 'relay-paused');
    assert.deepEqual(paused.campaigns.map((c) => c.id), ['c-paused'], 'a pause by the operator is no warning');

    // A retention run clears that warning until it is 25 hours old.
    await h.deps.db.insertInto('retention_runs').values({ id: 'run1', ran_at: '2026-11-30T09:00:00.000Z', dry_run: 0, rules: '{}', examined: 3, kept: 3, counts: '{}', contact_ids: '[]' }).execute();
    assert.ok(!(await dashboard(h.deps)).warnings.some((w) => w.code === 'retention-due'));
    h.clock.set(new Date('2026-12-01T11:00:00Z'));
    assert.ok((await dashboard(h.deps)).warnings.some((w) => w.code === 'retention-due'));
  });
}

test('dashboard page: every role reads it; figures, chart, links and names as text', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await seed(h);
  for (const role of ['viewer', 'editor', 'privacy_officer', 'owner'] as const) {
    const res = await (await h.as(role)).get('/admin');
    assert.equal(res.statusCode, 200, role);
  }
  const en = await (await h.as('viewer')).get('/admin?lang=en');
  const body = en.body;
  assert.doesNotMatch(body, /<script>alert/);
  assert.doesNotMatch(body, /"onmouseover=/);
  assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;onmouseover=x/);
  assert.match(body, /href="\/admin\/campaigns\/c-paused"/);
  assert.match(body, /href="\/admin\/campaigns\/c-sending">Decembertips<\/a>/);
  assert.match(body, /1 of 2 \(50%\)/);
  assert.match(body, /href="\/admin\/contacts\?purpose=tips&amp;status=active">1<\/a>/);
  assert.match(body, /<svg class="chart"[^>]*role="img" aria-label="Sign-ups, confirmations and unsubscribes per day\. Line chart of the last 90 days/);
  assert.equal((body.match(/<polyline class="line s\d"/g) ?? []).length, 3, 'three lines');
  assert.match(body, /Sign-ups: 2; confirmations: 1; unsubscribes: 1\./);
  assert.match(body, /<td data-label="Day">28 Nov<\/td><td class="num" data-label="Sign-ups">2<\/td><td class="num" data-label="Confirmations">0<\/td>/);
  assert.match(body, /No SMTP server is configured/);
  assert.match(body, /past their one-month deadline \(GDPR 12\(3\)\): 1\./);
  assert.match(body, /Overdue/);
  // Warnings point to the page that fixes them; a command only where no page exists.
  assert.match(body, /past their one-month deadline \(GDPR 12\(3\)\): 1\. <a href="\/admin\/privacy\/requests">To the requests<\/a>/);
  assert.match(body, /no clean-up has ever run\. See what would be erased and clean up now\. <a href="\/admin\/privacy\/retention">To retention<\/a>/);
  assert.doesNotMatch(body, /consentry (retention run|webhook deliveries)|run consentry/);
  assert.doesNotMatch(body, /href="\/admin\/webhooks"/, 'a viewer gets no link to a page only owners open');
  assert.match((await (await h.as('owner')).get('/admin?lang=en')).body, /could not be delivered: 1\. Each webhook shows what went wrong\. <a href="\/admin\/webhooks">To webhooks<\/a>/);
  assert.ok(body.indexOf('erasure (GDPR 17)') < body.indexOf('access (GDPR 15)'), 'overdue request first');
  assert.doesNotMatch(body, /<script/i, 'no script on the page');
  const nl = await (await h.as('viewer')).get('/admin?lang=nl');
  assert.match(nl.body, /Aanmeldingen, bevestigingen en afmeldingen per dag/);
  assert.match(nl.body, /<td data-label="Dag">28 nov<\/td>/);
});

test('dashboard screenshots (nl/en, 1280/390)', { skip: browserSkip }, async (t) => {
  const h = await adminHarness();
  await seed(h);
  const b = await adminBrowser(t, { harness: h });
  const page = await b.signedIn();
  await b.shots(page, 'dashboard', '/admin');
});
