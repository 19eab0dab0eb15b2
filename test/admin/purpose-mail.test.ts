// A purpose's mail on its admin page: the welcome mail per language (save, remove asked twice, preview of the saved
// and of the unsaved text) and the item a download/service purpose delivers (an uploaded file, an https address or
// none). Per role and with CSRF, refusals next to their field with the value kept, each change through the service
// and in the action log; the welcome mail saved on the page is the one a person gets on confirming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminClient, type AdminHarness } from '../support/admin.js';
import { pendingSubscriber } from '../campaigns/helpers.js';
import { readActionLog } from '../../src/services/admin/action-log.js';
import { purposeMail } from '../../src/services/consent/welcome.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import type { OutgoingMessage } from '../../src/mail/message.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Keeps every message the app hands to the transport. */
function recordMail(h: AdminHarness): OutgoingMessage[] {
  const sent: OutgoingMessage[] = [];
  const real = h.deps.mailer;
  h.deps.mailer = { send: (m) => (sent.push(m), real.send(m)), close: () => real.close() };
  return sent;
}

/** Uploads a file on the Media page, as a browser does; @returns its public URL. */
async function uploadMedia(h: AdminHarness, c: AdminClient, name: string, data: Buffer): Promise<string> {
  const boundary = '----consentry-purpose-test';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${await c.csrf('/admin/media')}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await h.app.inject({
    method: 'POST', url: '/admin/media',
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  assert.equal(res.statusCode, 303, res.body);
  const url = new RegExp(`value="(http://localhost:3000/media/[0-9a-f]{24}/${name.replace('.', '\\.')})"`).exec((await c.get('/admin/media')).body)?.[1];
  assert.ok(url, 'the upload is listed');
  return url;
}

const actions = async (h: AdminHarness) => (await readActionLog(h.deps)).entries.map((e) => `${e.action} ${e.object.id ?? ''}`.trim());

test('purpose page: the welcome mail per language, per role and with CSRF, refusals next to the field, remove asked twice; sent on confirmation', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const sent = recordMail(h);
  const editor = await h.as('editor');
  const WELCOME = { subject_nl: 'Welkom bij de koffietips', body_nl: '# Fijn dat u er bent\n\nHallo {{ first_name | default: "lezer" }}, elke maand een tip.' };

  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/purposes/tips/welcome/nl', WELCOME);
  assert.equal((await editor.post('/admin/purposes/tips/welcome/nl', WELCOME, { noCsrf: true })).statusCode, 403);
  assert.deepEqual((await purposeMail(h.deps, 'tips')).welcome, {}, 'nothing stored');

  // A misspelt variable: the reason next to the body, both fields kept.
  const misspelt = await editor.post('/admin/purposes/tips/welcome/nl', { ...WELCOME, body_nl: 'Hallo {{ frist_name }} <b>"x"</b>' });
  assert.equal(misspelt.statusCode, 400);
  assert.match(misspelt.body, /id="body_nl-error">De variabele frist_name bestaat niet/);
  assert.match(misspelt.body, /<textarea id="body_nl" name="body_nl" required aria-invalid="true"[^>]*>Hallo \{\{ frist_name \}\} &lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/textarea>/);
  assert.match(misspelt.body, /id="subject_nl" name="subject_nl" required[^>]*value="Welkom bij de koffietips"/);
  const noSubject = await editor.post('/admin/purposes/tips/welcome/en?lang=en', { subject_en: ' ', body_en: 'Hello.' });
  assert.equal(noSubject.statusCode, 400);
  assert.match(noSubject.body, /id="subject_en-error">Fill in this field/);
  assert.match(noSubject.body, /<textarea id="body_en"[^>]*>Hello\.<\/textarea>/);
  assert.equal((await editor.post('/admin/purposes/tips/welcome/de', { subject_de: 'x', body_de: 'y' })).statusCode, 404);
  assert.deepEqual((await purposeMail(h.deps, 'tips')).welcome, {}, 'nothing stored');

  const saved = await editor.post('/admin/purposes/tips/welcome/nl', WELCOME);
  assert.equal(saved.statusCode, 303, saved.body);
  assert.equal(saved.headers.location, '/admin/purposes/tips#welcome-nl');
  assert.equal((await editor.post('/admin/purposes/tips/welcome/en', { subject_en: 'Welcome', body_en: 'Hello.' })).statusCode, 303);
  assert.deepEqual((await purposeMail(h.deps, 'tips')).welcome, { nl: { subject: WELCOME.subject_nl, body: WELCOME.body_nl }, en: { subject: 'Welcome', body: 'Hello.' } });
  const page = await editor.get('/admin/purposes/tips');
  assert.match(page.body, /De welkomstmail is opgeslagen/);
  assert.match(page.headers['content-security-policy'] as string, /frame-src 'self'/);
  assert.match(page.body, /<iframe name="welcome-preview" src="\/admin\/purposes\/tips\/welcome\/nl\/preview.html"/);
  assert.match(page.body, /formaction="\/admin\/purposes\/tips\/welcome\/en\/preview" formtarget="welcome-preview"/);
  const viewerPage = await (await h.as('viewer')).get('/admin/purposes/tips');
  assert.match(viewerPage.body, /<fieldset disabled class="plain">/);
  assert.doesNotMatch(viewerPage.body, /action="\/admin\/purposes\/tips\/welcome/, 'a viewer gets no form');

  // The welcome mail saved here is the one a person gets when confirming, once.
  const anna = await pendingSubscriber(h.deps, 'anna@example.nl');
  sent.length = 0;
  await anna.confirm();
  const welcome = sent.filter((m) => m.subject === WELCOME.subject_nl);
  assert.equal(welcome.length, 1, sent.map((m) => m.subject).join(', '));
  assert.match(String(welcome[0]!.html), /<h1[^>]*>Fijn dat u er bent<\/h1>/);
  assert.match(welcome[0]!.text!, /Hallo lezer, elke maand een tip\./);
  assert.equal(welcome[0]!.to, 'anna@example.nl');

  // Removing asks twice, per language.
  await h.assertRefused(['viewer'], '/admin/purposes/tips/welcome/nl/remove', { confirm: 'yes' });
  const ask = await editor.get('/admin/purposes/tips/welcome/nl/remove');
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /De Nederlandse versie van de welkomstmail van &quot;Koffietips&quot; verwijderen\?/);
  assert.ok((await purposeMail(h.deps, 'tips')).welcome.nl, 'asking removes nothing');
  assert.equal((await editor.post('/admin/purposes/tips/welcome/nl/remove', { confirm: 'yes' })).statusCode, 303);
  assert.deepEqual((await purposeMail(h.deps, 'tips')).welcome, { en: { subject: 'Welcome', body: 'Hello.' } });

  const log = await actions(h);
  assert.equal(log.filter((a) => a === 'POST /admin/purposes/:id/welcome/:lang tips').length, 2, log.join('\n'));
  assert.equal(log.filter((a) => a === 'POST /admin/purposes/:id/welcome/:lang/remove tips').length, 1, 'the removal only: asking is a GET and changes nothing');
});

test('purpose page: the welcome preview shows the saved version (GET) and the unsaved text (POST) without storing or logging it', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const viewer = await h.as('viewer');
  assert.equal((await editor.post('/admin/purposes/tips/welcome/nl', { subject_nl: 'Welkom', body_nl: 'De **opgeslagen** tekst.' })).statusCode, 303);

  const savedPreview = await viewer.get('/admin/purposes/tips/welcome/nl/preview.html');
  assert.equal(savedPreview.statusCode, 200);
  const csp = savedPreview.headers['content-security-policy'] as string;
  assert.match(csp, /frame-ancestors 'self'/);
  assert.match(csp, /sandbox/);
  assert.doesNotMatch(csp, /script-src/);
  assert.match(savedPreview.body, /De <strong>opgeslagen<\/strong> tekst\./);
  assert.match(savedPreview.body, /\/u\/test-message-no-real-link/, 'a placeholder unsubscribe link');
  const none = await viewer.get('/admin/purposes/tips/welcome/en/preview.html?lang=en');
  assert.equal(none.statusCode, 404);
  assert.match(none.body, /No welcome mail is saved in this language yet/);

  const before = { welcome: (await purposeMail(h.deps, 'tips')).welcome, log: (await readActionLog(h.deps)).entries.length };
  const draft = { subject_nl: 'Nieuw', body_nl: '# Nog niet opgeslagen\n\n<span onclick="alert(1)">klik</span>' };
  await h.assertRefused(['viewer'], '/admin/purposes/tips/welcome/nl/preview', draft);
  assert.equal((await editor.post('/admin/purposes/tips/welcome/nl/preview', draft, { noCsrf: true })).statusCode, 403);
  const shown = await editor.post('/admin/purposes/tips/welcome/nl/preview', draft);
  assert.equal(shown.statusCode, 200);
  assert.match(shown.headers['content-security-policy'] as string, /frame-ancestors 'self'; sandbox/);
  assert.match(shown.body, /<h1[^>]*>Nog niet opgeslagen<\/h1>/);
  assert.doesNotMatch(shown.body, /onclick/);
  const wrong = await editor.post('/admin/purposes/tips/welcome/nl/preview', { subject_nl: 'Welkom', body_nl: '{{ frist_name }}' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /Het voorbeeld kan niet worden gemaakt: De variabele frist_name bestaat niet/);
  assert.deepEqual((await purposeMail(h.deps, 'tips')).welcome, before.welcome, 'nothing stored');
  assert.equal((await readActionLog(h.deps)).entries.length, before.log, 'a preview is not an action');
});

test('purpose page: a service purpose delivers an uploaded file, an https address or nothing; per role and with CSRF', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  await createPurpose(h.deps, {
    id: 'ebook', name_nl: 'Koffiegids', name_en: 'Coffee guide', description_nl: 'Onze gids.', description_en: 'Our guide.',
    category: 'service', bases: ['A6-1-b'], doubleOptIn: true,
  });
  const pdf = await uploadMedia(h, owner, 'koffiegids.pdf', PDF);
  const editor = await h.as('editor');

  const page = await editor.get('/admin/purposes/ebook');
  assert.match(page.body, /<h2 id="item-title">Wat dit doel levert<\/h2>/);
  assert.match(page.body, new RegExp(`<option value="${pdf}">koffiegids.pdf \\(application/pdf, `));
  assert.match(page.body, /Een welkomstmail gaat alleen naar mensen die toestemming gaven/, 'no welcome form for a purpose without consent');
  assert.doesNotMatch((await editor.get('/admin/purposes/tips')).body, /id="item-title"/, 'a newsletter delivers no item');

  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/purposes/ebook/item', { item: pdf, itemUrl: '' });
  assert.equal((await editor.post('/admin/purposes/ebook/item', { item: pdf, itemUrl: '' }, { noCsrf: true })).statusCode, 403);
  assert.equal((await purposeMail(h.deps, 'ebook')).itemUrl, null);

  const http = await editor.post('/admin/purposes/ebook/item', { item: 'url', itemUrl: 'http://deboon.example/gids.pdf' });
  assert.equal(http.statusCode, 400);
  assert.match(http.body, /id="itemUrl-error">Kies een geüpload bestand of geef een https-adres/);
  assert.match(http.body, /value="http:\/\/deboon.example\/gids.pdf"/, 'the address kept');
  const empty = await editor.post('/admin/purposes/ebook/item?lang=en', { item: 'url', itemUrl: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /id="itemUrl-error">Fill in this field/);
  assert.equal((await purposeMail(h.deps, 'ebook')).itemUrl, null, 'nothing stored');

  const chosen = await editor.post('/admin/purposes/ebook/item', { item: pdf, itemUrl: '' });
  assert.equal(chosen.statusCode, 303, chosen.body);
  assert.equal((await purposeMail(h.deps, 'ebook')).itemUrl, pdf);
  assert.match((await editor.get('/admin/purposes/ebook')).body, new RegExp(`<option value="${pdf}" selected>`));
  assert.equal((await editor.post('/admin/purposes/ebook/item', { item: 'url', itemUrl: 'https://deboon.example/gids.pdf' })).statusCode, 303);
  assert.equal((await purposeMail(h.deps, 'ebook')).itemUrl, 'https://deboon.example/gids.pdf');
  assert.match((await editor.get('/admin/purposes/ebook')).body, /<option value="url" selected>/);
  assert.equal((await editor.post('/admin/purposes/ebook/item', { item: '', itemUrl: 'https://deboon.example/gids.pdf' })).statusCode, 303);
  assert.equal((await purposeMail(h.deps, 'ebook')).itemUrl, null, '"nothing" removes it');
  assert.equal((await actions(h)).filter((a) => a === 'POST /admin/purposes/:id/item ebook').length, 3);
});
