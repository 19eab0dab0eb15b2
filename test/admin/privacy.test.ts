// The Privacy pages: the notice (missing items, editor → draft → publish), the record of processing with its
// CSV, the requests register (add, extend, complete; no address in the action log) and retention (dry run with
// the held contacts, run now asked twice); each POST per role, with CSRF, validation errors next to the field,
// and markup shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { addContact } from '../../src/services/consent/relationships.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { noticeStatus, noticeVersions } from '../../src/services/organisation/notice-admin.js';
import { setRecipients } from '../../src/services/organisation/organisation.js';
import { addRequest, listRequestViews } from '../../src/services/rights/requests.js';
import { contactByEmail } from '../../src/store/contacts.js';

const DAY = 86_400_000;
const XSS = '<script>alert(1)</script>"onmouseover="x';

test('privacy notice: the missing art. 14 items with what to do, the texts saved as a draft, publish per role', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const start = await noticeStatus(h.deps);
  assert.ok(start.published, 'the set-up published a notice');

  // A contact from a third party makes art. 14 apply: the published version misses two items now.
  await addContact(h.deps, { email: 'derde@example.nl', source: 'third_party', sourceRef: 'Beurslijst' });
  const viewer = await h.as('viewer');
  const page = await viewer.get('/admin/privacy');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /De gepubliceerde versie 1 mist deze onderdelen/);
  assert.match(page.body, /14\(1\)\(d\)[\s\S]*Categorieën persoonsgegevens uit andere bronnen[\s\S]*href="\/admin\/privacy\/notice\/edit#categories_nl"/);
  assert.match(page.body, /14\(2\)\(f\)/);
  assert.doesNotMatch(page.body, /notice\/edit"/, 'a viewer gets no edit button');
  assert.equal((await viewer.get('/admin/privacy/notice/edit')).statusCode, 403);

  const fields = {
    dpo: 'none', categories_nl: `Naam en e-mailadres ${XSS}`, categories_en: 'Name and e-mail address', sources_nl: 'De beurslijst',
    sources_en: 'The trade fair list', automated: 'none',
  };
  await h.assertRefused(['viewer', 'editor'], '/admin/privacy/notice', fields);
  assert.equal((await owner.post('/admin/privacy/notice', fields, { noCsrf: true })).statusCode, 403);
  assert.equal((await noticeVersions(h.deps)).length, 1, 'nothing saved');

  // Validation: a described automated decision needs its text; texts have a maximum length.
  const noText = await owner.post('/admin/privacy/notice', { ...fields, automated: 'described', automated_nl: '', automated_en: 'x' });
  assert.equal(noText.statusCode, 400);
  assert.match(noText.body, /id="automated_nl-error">Vul dit veld in/);
  assert.match(noText.body, /Naam en e-mailadres &lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;onmouseover=&quot;x<\/textarea>/, 'the typed text is kept, escaped');
  const tooLong = await owner.post('/admin/privacy/notice?lang=en', { ...fields, rights_en: 'x'.repeat(5001) });
  assert.equal(tooLong.statusCode, 400);
  assert.match(tooLong.body, /id="rights_en-error">This is too long/);
  assert.equal((await noticeVersions(h.deps)).length, 1, 'nothing saved');

  const privacy = await h.as('privacy_officer');
  const saved = await privacy.post('/admin/privacy/notice', fields);
  assert.equal(saved.statusCode, 303, saved.body);
  assert.equal(saved.headers.location, '/admin/privacy/notice/2');
  const status = await noticeStatus(h.deps);
  assert.equal(status.published?.version, 1, 'saving publishes nothing');
  assert.deepEqual(status.draft?.missing, []);
  const draftPage = await privacy.get('/admin/privacy/notice/2');
  assert.match(draftPage.body, /Opgeslagen als concept/);
  assert.match(draftPage.body, /Gegevens die wij van anderen krijgen/);
  assert.match(draftPage.body, /Naam en e-mailadres &lt;script&gt;alert\(1\)/);
  assert.doesNotMatch(draftPage.body, /<script>alert/);
  assert.match(draftPage.body, /action="\/admin\/privacy\/notice\/2\/publish"/);
  const english = await privacy.get('/admin/privacy/notice/2?text=en');
  assert.match(english.body, /Data we obtain from others/);
  assert.equal((await privacy.post('/admin/privacy/notice', fields)).headers.location, '/admin/privacy', 'the same texts again make no version');
  assert.equal((await noticeVersions(h.deps)).length, 2);

  await h.assertRefused(['viewer', 'editor'], '/admin/privacy/notice/2/publish', {});
  assert.equal((await privacy.post('/admin/privacy/notice/2/publish', {}, { noCsrf: true })).statusCode, 403);
  assert.equal((await noticeStatus(h.deps)).published?.version, 1);
  const published = await privacy.post('/admin/privacy/notice/2/publish');
  assert.equal(published.statusCode, 303, published.body);
  assert.equal((await noticeStatus(h.deps)).published?.version, 2);
  assert.equal((await privacy.post('/admin/privacy/notice/2/publish')).statusCode, 409, 'published once');

  // A draft that misses an item is refused with the reason; the list says what is missing.
  const blank = await privacy.post('/admin/privacy/notice', { ...fields, provision_nl: '', provision_en: '' });
  assert.equal(blank.headers.location, '/admin/privacy/notice/3');
  const refused = await privacy.post('/admin/privacy/notice/3/publish');
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /kan niet worden gepubliceerd: er ontbreken nog onderdelen/);
  assert.match(refused.body, /13\(2\)\(e\)/);
  assert.equal((await noticeStatus(h.deps)).published?.version, 2);
  assert.equal((await privacy.get('/admin/privacy/notice/99')).statusCode, 404);
  assert.equal((await privacy.get('/admin/privacy/notice/abc')).statusCode, 404);
});

test('record of processing: the page and the CSV, a formula cell made inert', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await setRecipients(h.deps, [{ name: '=HYPERLINK("http://evil.example")', task_nl: 'Verstuurt mail', task_en: 'Sends mail', country: 'NL' }]);
  const viewer = await h.as('viewer');
  const page = await viewer.get('/admin/privacy/record');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h2>Koffietips<\/h2>/);
  assert.match(page.body, /=HYPERLINK\(&quot;http:\/\/evil.example&quot;\)/);
  const csv = await viewer.get('/admin/privacy/record.csv?lang=nl');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="verwerkingsregister.csv"/);
  assert.match(csv.body, /^Verwerkingsactiviteit|^[^\r\n]*Grondslag/);
  assert.doesNotMatch(csv.body, /(^|,)=HYPERLINK/m, 'no cell begins with =');
  assert.match(csv.body, /'=HYPERLINK/);
  assert.match((await viewer.get('/admin/privacy/record.csv?lang=en')).body, /Lawful basis/);
});

test('requests: add, extend, complete per role; validation next to the field; no address in the action log', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const address = 'klant@example.nl';
  await addContact(h.deps, { email: address, source: 'form' });
  const contact = (await contactByEmail(h.deps.db, address))!;
  const add = { kind: 'access', channel: 'letter', receivedAt: '2026-11-20', contact: address, requester: `J. Jansen ${XSS}` };

  await h.assertRefused(['viewer', 'editor'], '/admin/privacy/requests', add);
  assert.equal((await owner.post('/admin/privacy/requests', add, { noCsrf: true })).statusCode, 403);
  const badDate = await owner.post('/admin/privacy/requests', { ...add, receivedAt: '31-02-x' });
  assert.equal(badDate.statusCode, 400);
  assert.match(badDate.body, /id="receivedAt-error">Vul een datum in/);
  const future = await owner.post('/admin/privacy/requests', { ...add, receivedAt: '2027-01-01' });
  assert.match(future.body, /id="receivedAt-error">Deze datum ligt in de toekomst/);
  const unknown = await owner.post('/admin/privacy/requests', { ...add, contact: 'niemand@example.nl' });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /id="contact-error">Dit contact bestaat niet/);
  assert.match(unknown.body, /value="niemand@example.nl"/, 'the typed value is kept');
  assert.equal((await listRequestViews(h.deps, {})).length, 0, 'nothing added');

  const privacy = await h.as('privacy_officer');
  const added = await privacy.post('/admin/privacy/requests', add);
  assert.equal(added.statusCode, 303, added.body);
  const [request] = await listRequestViews(h.deps, {});
  assert.equal(request!.contactId, contact.id);
  assert.equal(request!.dueAt, '2026-12-20T00:00:00.000Z', 'one month after the day of receipt');
  assert.equal(added.headers.location, `/admin/privacy/requests/${request!.id}`);
  const one = await privacy.get(added.headers.location as string);
  assert.match(one.body, /J. Jansen &lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;onmouseover=&quot;x/);
  assert.doesNotMatch(one.body, /<script>alert/);
  assert.match(one.body, new RegExp(`href="/admin/contacts/${contact.id}"`));

  // Extending: the reason is required; two months at most in total.
  const path = `/admin/privacy/requests/${request!.id}`;
  await h.assertRefused(['viewer', 'editor'], `${path}/extend`, { months: '1', reason: 'veel verzoeken' });
  assert.equal((await privacy.post(`${path}/extend`, { months: '1', reason: 'x' }, { noCsrf: true })).statusCode, 403);
  const noReason = await privacy.post(`${path}/extend`, { months: '1', reason: ' ' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /id="reason-error">/);
  assert.equal((await privacy.post(`${path}/extend`, { months: '2', reason: 'veel verzoeken deze maand' })).statusCode, 303);
  const again = await privacy.post(`${path}/extend`, { months: '1', reason: 'nog meer' });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /id="months-error">De termijn mag in totaal hoogstens twee maanden/);
  assert.equal((await listRequestViews(h.deps, {}))[0]!.dueAt, '2027-02-20T00:00:00.000Z');

  await h.assertRefused(['viewer', 'editor'], `${path}/complete`, { outcome: 'inzage gestuurd' });
  assert.equal((await listRequestViews(h.deps, { openOnly: true })).length, 1);
  assert.equal((await privacy.post(`${path}/complete`, { outcome: 'inzage gestuurd' })).statusCode, 303);
  assert.equal((await listRequestViews(h.deps, { openOnly: true })).length, 0);
  assert.equal((await privacy.post(`${path}/complete`, {})).statusCode, 400, 'answered once');

  // Overdue requests come first and are marked.
  await addRequest(h.deps, { kind: 'erasure', channel: 'phone', receivedAt: new Date(h.clock.now().getTime() - 40 * DAY) });
  const list = await (await h.as('viewer')).get('/admin/privacy/requests');
  assert.match(list.body, /1 verzoek te laat/);
  assert.match(list.body, /class="badge bad">te laat/);
  assert.doesNotMatch(list.body, /inzage gestuurd|J. Jansen/, 'answered requests only with ?all=1');
  assert.match((await privacy.get('/admin/privacy/requests?all=1')).body, /J. Jansen/);

  // The action log names the request, never the data subject's address.
  const log = await h.deps.db.selectFrom('admin_actions').selectAll().execute();
  assert.ok(log.some((r) => r.action === 'POST /admin/privacy/requests'));
  assert.ok(log.some((r) => r.action === 'POST /admin/privacy/requests/:id/extend' && r.object_id === request!.id));
  assert.doesNotMatch(JSON.stringify(log), /klant@example\.nl|Jansen/);
});

test('retention: the dry run lists who would be erased and who is held, logs nothing; run now asks twice', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  // Two unconfirmed sign-ups from 40 days ago: due under the 30-day rule; one has an open request.
  h.clock.set(new Date(h.clock.now().getTime() - 40 * DAY));
  for (const email of ['oud@example.nl', 'vast@example.nl'])
    await subscribe(h.deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  h.clock.set(new Date(h.clock.now().getTime() + 40 * DAY));
  const old = (await contactByEmail(h.deps.db, 'oud@example.nl'))!;
  const held = (await contactByEmail(h.deps.db, 'vast@example.nl'))!;
  await addRequest(h.deps, { kind: 'restriction', channel: 'letter', contact: held.id });

  const viewer = await h.as('viewer');
  const page = await viewer.get('/admin/privacy/retention');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /2 contacten bekeken: 1 te wissen, 1 vastgehouden, 0 bewaard/);
  const [eraseList, heldList] = page.body.split('Vastgehouden voor een open verzoek');
  assert.match(eraseList!, new RegExp(`href="/admin/contacts/${old.id}">oud@example.nl</a>`));
  assert.match(heldList!, new RegExp(`href="/admin/contacts/${held.id}">vast@example.nl</a>`));
  assert.match(heldList!, /verzoek om beperking/);
  assert.doesNotMatch(page.body, /retention\/run/, 'a viewer gets no button');
  assert.equal((await h.deps.db.selectFrom('retention_runs').selectAll().execute()).length, 0, 'the GET logged no run');

  await h.assertRefused(['viewer', 'editor'], '/admin/privacy/retention/run', { confirm: 'yes' });
  assert.equal((await owner.post('/admin/privacy/retention/run', { confirm: 'yes' }, { noCsrf: true })).statusCode, 403);
  const ask = await owner.get('/admin/privacy/retention/run');
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /Nu 1 contact wissen/);
  assert.ok(await contactByEmail(h.deps.db, 'oud@example.nl'), 'asking erases nothing');
  const ran = await (await h.as('privacy_officer')).post('/admin/privacy/retention/run', { confirm: 'yes' });
  assert.equal(ran.statusCode, 303);
  assert.equal(await contactByEmail(h.deps.db, 'oud@example.nl'), undefined);
  assert.ok(await contactByEmail(h.deps.db, 'vast@example.nl'), 'held for its open request');
  assert.equal((await h.deps.db.selectFrom('retention_runs').selectAll().execute()).length, 1);
});
