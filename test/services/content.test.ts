import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../support/stores.js';
import { linkIn } from '../support/setup.js';
import { mailchimpSubscribed, optIn, purpose, scene, type Scene } from '../scenarios/support.js';
import { createCampaign, previewCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { editCampaign } from '../../src/services/campaigns/edit.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { sendWelcomeMails, setPurposeItem, setWelcomeMail } from '../../src/services/consent/welcome.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { addMedia } from '../../src/services/organisation/media.js';
import { setMailBranding } from '../../src/services/organisation/branding.js';
import { DomainError } from '../../src/services/errors.js';
import { buildApp } from '../../src/web/app.js';

const refused = (field: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof DomainError && e.field === field && (!pattern || pattern.test(e.message));
const longest = (s: string) => Math.max(...s.split(/\r?\n/).map((l) => l.length));
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2a1b8a40000000049454e44ae426082', 'hex');

/** A contact who signed up on the tips form in `lang` and confirmed. */
async function subscriber(s: Scene, email: string, lang: 'nl' | 'en', firstName?: string): Promise<string> {
  const before = (await s.mails()).length;
  const r = await subscribe(s.deps, { formId: 'tips', email, ...(firstName && { firstName }), purposes: ['tips'], language: lang, ip: null, userAgent: null });
  const mail = (await s.mails()).slice(before).find((m) => m.text?.includes('/confirm/'))!;
  await confirm(s.deps, { token: linkIn(mail.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
  return r.contactId;
}

for (const dialect of DIALECTS) {
  describe(`mail content through the services (${dialect.name})`, () => {
    it('sends a Markdown campaign: parts, footer in the campaign language, sanitised, no line over 998; each contact gets their language', async () => {
      const s = await scene(await dialect.open());
      try {
        await setMailBranding(s.deps, { accentColour: '#7c2d12' });
        await subscriber(s, 'anna@example.nl', 'nl', 'Anna');
        await subscriber(s, 'bob@example.com', 'en');
        await subscriber(s, 'noor@example.nl', 'nl');
        const body = '# Nieuwe oogst\n\nBeste {{ first_name | default: "koffieliefhebber" }},\n\nDeze week **Ethiopië**:\n\n- licht\n- fruitig\n\n[Bestel](https://deboon.example/shop)\n\n![Bonen](https://deboon.example/bonen.jpg)\n\n<script>alert(1)</script><img src="https://x.example/a.png" onerror="alert(2)"><a href="javascript:alert(3)">x</a>\n\n' + 'y'.repeat(5000);
        const nl = await createCampaign(s.deps, { name: 'Nov', purposeId: 'tips', subject: 'Oogst voor {{ first_name }}', body, format: 'markdown', language: 'nl' });
        const en = await createCampaign(s.deps, { name: 'Nov EN', purposeId: 'tips', subject: 'Harvest for {{ first_name | default: "you" }}', body: '# New harvest\n\nHello!', format: 'markdown', language: 'en', translationOf: nl.id });
        await assert.rejects(startCampaign(s.deps, en.id), (e: DomainError) => e.kind === 'conflict');
        await assert.rejects(createCampaign(s.deps, { name: 'EN 2', purposeId: 'tips', subject: 'x', body: 'x', language: 'en', translationOf: nl.id }), refused('translationOf', /already its en version/));
        await editCampaign(s.deps, en.id, { subject: 'Harvest for {{ first_name | default: "you" }}' });
        const preview = await previewCampaign(s.deps, nl.id);
        assert.equal(preview.allowed, 3);
        const missing = preview.missingVariables.find((m) => m.variable === 'first_name')!;
        assert.equal(missing.count, 1, 'only noor (Dutch version, no name) lacks first_name; bob gets the English version with a default');
        assert.deepEqual(missing.examples.map((e) => e.email), ['n***@example.nl']);

        const before = (await s.mails()).length;
        await startCampaign(s.deps, nl.id);
        assert.equal((await drainQueue(s.deps)).sent, 3);
        const mails = (await s.mails()).slice(before);
        const toAnna = mails.find((m) => m.to && JSON.stringify(m.to).includes('anna@'))!;
        const toBob = mails.find((m) => m.to && JSON.stringify(m.to).includes('bob@'))!;
        const toNoor = mails.find((m) => m.to && JSON.stringify(m.to).includes('noor@'))!;
        assert.equal(toAnna.subject, 'Oogst voor Anna');
        assert.equal(toNoor.subject, 'Oogst voor');
        assert.match(toNoor.text!, /Beste koffieliefhebber,/);
        const html = String(toAnna.html);
        assert.match(html, /<h1[^>]*>Nieuwe oogst<\/h1>/);
        assert.match(html, /<strong>Ethiopië<\/strong>/);
        assert.match(html, /<li[^>]*>licht<\/li>/);
        assert.match(html, /<a href="https:\/\/deboon\.example\/shop"[^>]*>Bestel<\/a>/);
        assert.match(html, /<img src="https:\/\/deboon\.example\/bonen\.jpg"/);
        assert.match(html, /#7c2d12/);
        for (const bad of ['<script', 'onerror', 'javascript:']) assert.ok(!html.includes(bad), bad);
        assert.match(toAnna.text!, /Bestel <https:\/\/deboon\.example\/shop>/);
        assert.match(toAnna.text!, /U ontvangt dit bericht omdat u zich hebt aangemeld voor Koffietips/);
        assert.match(html, />Afmelden<\/a>/);
        assert.equal(toBob.subject, 'Harvest for you');
        assert.match(String(toBob.html), /<h1[^>]*>New harvest<\/h1>/);
        assert.match(toBob.text!, /You are receiving this message because you subscribed to Coffee tips/);
        assert.doesNotMatch(toBob.text! + String(toBob.html), /Afmelden|aangemeld|Privacyverklaring/);
        // The raw messages as they went out (quoted-printable where needed): no line over 998 characters.
        for (const f of (await import('node:fs')).readdirSync(s.outbox).filter((n) => n.endsWith('.eml'))) {
          assert.ok(longest(readFileSync(join(s.outbox, f), 'utf8')) <= 998, f);
        }
      } finally {
        await s.close();
      }
    });

    it('refuses bad content at create, naming the field, and stores nothing', async () => {
      const s = await scene(await dialect.open());
      try {
        const base = { name: 'x', purposeId: 'tips', subject: 'Hoi', body: 'Hoi', format: 'markdown' as const };
        await assert.rejects(createCampaign(s.deps, { ...base, body: 'Hoi {{ frist_name }}' }), refused('body', /frist_name/));
        await assert.rejects(createCampaign(s.deps, { ...base, subject: 'Hoi {{ first_name ' }), refused('subject'));
        await assert.rejects(createCampaign(s.deps, { ...base, body: '![a](http://deboon.example/a.png)' }), refused('body', /https/));
        await assert.rejects(createCampaign(s.deps, { ...base, language: 'fr' as 'nl' }), refused('language', /nl or en/));
        await assert.rejects(createCampaign(s.deps, { ...base, format: 'html' as 'text' }), refused('format'));
        await assert.rejects(createCampaign(s.deps, { ...base, body: 'x'.repeat(2_000_000) }), refused('body'));
        await assert.rejects(createCampaign(s.deps, { ...base, translationOf: 'nope' }), refused('translationOf'));
        const api = await s.api('POST', '/campaigns', { ...base, language: 'de' });
        assert.equal(api.statusCode, 400);
        assert.equal(api.json().error.field, 'language');
        assert.equal((await s.deps.db.selectFrom('campaigns').select('id').execute()).length, 0);
        const ok = await s.api('POST', '/campaigns', { ...base, language: 'en' });
        assert.equal(ok.statusCode, 201);
        assert.equal(ok.json().format, 'markdown');
        assert.equal(ok.json().language, 'en');
      } finally {
        await s.close();
      }
    });

    it('sends the welcome mail once per confirmation, never for an imported contact', async () => {
      const s = await scene(await dialect.open());
      try {
        await assert.rejects(setWelcomeMail(s.deps, 'tips', { subject: 'Welkom', body: 'Hoi {{ frist_name }}' }), refused('body'));
        await assert.rejects(setWelcomeMail(s.deps, 'tips', { language: 'de', subject: 'Welkom', body: 'Hoi' }), refused('language'));
        await setWelcomeMail(s.deps, 'tips', { language: 'nl', subject: 'Welkom {{ first_name }}', body: '# Welkom!\n\nFijn dat u er bent, {{ first_name | default: "lezer" }}.' });
        await setWelcomeMail(s.deps, 'tips', { language: 'en', subject: 'Welcome', body: '# Welcome!' });
        const before = (await s.mails()).length;
        const id = await optIn(s, 'anna@example.nl');
        const after = (await s.mails()).slice(before);
        const welcome = after.filter((m) => m.subject === 'Welkom');
        assert.equal(welcome.length, 1);
        assert.match(String(welcome[0]!.html), /<h1[^>]*>Welkom!<\/h1>/);
        assert.match(welcome[0]!.text!, /Fijn dat u er bent, lezer\./);
        assert.ok((welcome[0]!.headers.get('list') as { unsubscribe?: unknown }).unsubscribe, 'welcome mail carries List-Unsubscribe');
        assert.match(welcome[0]!.text!, /met één knop afmeldt/);
        // A second path (e.g. the manage page's re-confirmation) cannot send it again.
        assert.deepEqual(await sendWelcomeMails(s.deps, { contactId: id, purposeIds: ['tips'] }), []);
        await importMailchimp(s.deps, { files: { subscribed: mailchimpSubscribed([['oud@example.nl', '2024-01-01 10:00:00', '2024-01-01 10:05:00']]) }, purposeId: 'tips' });
        const imported = await s.deps.db.selectFrom('contacts').select('id').where('email', '=', 'oud@example.nl').executeTakeFirstOrThrow();
        assert.deepEqual(await sendWelcomeMails(s.deps, { contactId: imported.id, purposeIds: ['tips'] }), []);
        assert.equal((await s.mails()).filter((m) => m.subject === 'Welkom' || m.subject === 'Welcome').length, 1);
        await setWelcomeMail(s.deps, 'tips', { off: true });
        await optIn(s, 'bob@example.nl');
        assert.equal((await s.mails()).filter((m) => m.subject?.startsWith('Welkom')).length, 1);
      } finally {
        await s.close();
      }
    });

    it('delivers the lead magnet item without newsletter consent, and serves uploaded media', async () => {
      const s = await scene(await dialect.open());
      const mediaDir = mkdtempSync(join(tmpdir(), 'consentry-media-'));
      const app = await buildApp(s.deps, { mediaDir });
      try {
        await createPurpose(s.deps, { id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.', category: 'service', bases: ['A6-1-b'] });
        const pdf = await addMedia({ ...s.deps, mediaDir }, { fileName: 'Koffie gids 2026.pdf', data: Buffer.from('%PDF-1.4\n%test\n') });
        assert.match(pdf.url, /^http:\/\/localhost:3000\/media\/[0-9a-f]{24}\/Koffie-gids-2026\.pdf$/);
        await assert.rejects(addMedia({ ...s.deps, mediaDir }, { fileName: 'x.svg', data: Buffer.from('<svg onload="alert(1)"/>') }), refused('file'));
        await assert.rejects(setPurposeItem(s.deps, 'ebook', 'javascript:alert(1)'), refused('url'));
        await setPurposeItem(s.deps, 'ebook', pdf.url);
        // Only a service purpose can be the requested item: a newsletter purpose would get a contract basis (A3).
        await purpose(s, 'offers');
        await assert.rejects(createForm(s.deps, { id: 'tips-form', name: 'Tips', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }], leadMagnetPurposeId: 'offers' }), refused('leadMagnetPurposeId'));
        await createForm(s.deps, { id: 'ebook-form', name: 'E-book', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }], leadMagnetPurposeId: 'ebook' });
        const before = (await s.mails()).length;
        await subscribe(s.deps, { formId: 'ebook-form', email: 'lezer@example.nl', purposes: [], language: 'nl', ip: null, userAgent: null });
        const asked = (await s.mails()).slice(before);
        assert.equal(asked.length, 1, 'only the confirmation mail: the item waits until the address is confirmed');
        assert.ok(!asked[0]!.text!.includes(pdf.url));
        await confirm(s.deps, { token: linkIn(asked[0]!.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
        const mails = (await s.mails()).slice(before + 1);
        assert.equal(mails.length, 1, 'the item, once, with no newsletter box ticked');
        assert.ok(mails[0]!.text!.includes(`Downloaden: ${pdf.url}`));
        assert.match(String(mails[0]!.html), new RegExp(`<a href="${pdf.url.replace(/[.?]/g, '\\$&')}"[^>]*>Downloaden</a>`));

        const got = await app.inject({ method: 'GET', url: new URL(pdf.url).pathname });
        assert.equal(got.statusCode, 200);
        assert.equal(got.headers['content-type'], 'application/pdf');
        assert.match(String(got.headers['content-disposition']), /^attachment/);
        assert.equal(got.headers['x-content-type-options'], 'nosniff');
        assert.equal((await app.inject({ method: 'GET', url: new URL(pdf.url).pathname.replace('gids', 'gidz') })).statusCode, 404);
        const logo = await addMedia({ ...s.deps, mediaDir }, { fileName: 'logo.png', data: PNG });
        await setMailBranding(s.deps, { logoUrl: logo.url });
        await assert.rejects(setMailBranding(s.deps, { logoUrl: 'http://evil.example/x.png' }), refused('logoUrl'));
        await assert.rejects(setMailBranding(s.deps, { accentColour: 'red' }), refused('accentColour'));
        const img = await app.inject({ method: 'GET', url: new URL(logo.url).pathname });
        assert.equal(img.headers['content-type'], 'image/png');
        assert.equal(img.headers['cross-origin-resource-policy'], 'cross-origin');
      } finally {
        await app.close();
        await s.close();
      }
    });
  });
}
