import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  composeCampaignMessage,
  composeConfirmationMessage,
  composeServiceMessage,
  messageIdFor,
  verpAddress,
} from '../../src/mail/compose.js';
import { campaign, campaignInput, org, UNSUB } from './fixtures.js';

describe('composeCampaignMessage', () => {
  it('sets identity and List-* headers', () => {
    const m = campaign();
    assert.equal(m.from, '"De Boon" <nieuws@deboon.example>');
    assert.equal(m.to, 'jan@voorbeeld.nl');
    assert.equal(m.replyTo, 'info@deboon.example');
    assert.equal(m.messageId, 'abc123@deboon.example');
    assert.equal(m.envelopeFrom, 'bounces+d1@deboon.example');
    assert.deepEqual(m.headers, {
      'List-Unsubscribe': `<${UNSUB}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '"Koffiebranderij De Boon B.V." <koffietips.deboon.example>',
    });
  });

  it('uses the organisation name in From when no fromName is set', () => {
    const { fromName: _unused, ...noName } = org;
    assert.equal(campaign({ org: noName }).from, '"Koffiebranderij De Boon B.V." <nieuws@deboon.example>');
  });

  it('encodes a non-ASCII organisation name in List-Id', () => {
    const m = campaign({ org: { ...org, name: 'Café Ünïcode' } });
    const id = m.headers['List-Id'] ?? '';
    assert.match(id, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <koffietips\.deboon\.example>$/);
    assert.equal(Buffer.from(id.split('?')[3] ?? '', 'base64').toString(), 'Café Ünïcode');
  });

  it('renders Liquid variables in subject and body', () => {
    const m = campaign();
    assert.equal(m.subject, 'Nieuwe bonen voor Jan');
    assert.ok(m.text.startsWith('Beste Jan Jansen,\n\nDeze week: Ethiopië.\nTot snel!\n\nGroet, Koffiebranderij De Boon B.V.'));
    assert.match(m.html, /<p [^>]*>Deze week: Ethiopië\.<br \/>\nTot snel!<\/p>/);
  });

  it('renders null names as empty', () => {
    const m = campaign({ contact: { email: 'a@b.nl', firstName: null, lastName: null } });
    assert.equal(m.subject, 'Nieuwe bonen voor');
    // No "Beste  ," for a contact without a name (issue 10).
    assert.ok(m.text.startsWith('Beste,'), m.text);
  });

  it('writes the Dutch footer', () => {
    const m = campaign();
    assert.match(m.text, /U ontvangt dit bericht omdat u zich hebt aangemeld voor Koffietips van Koffiebranderij De Boon B\.V\.\n/);
    assert.ok(m.text.includes(`met één knop afmeldt: ${UNSUB}`));
    assert.ok(m.text.includes('Privacyverklaring: https://deboon.example/privacy'));
    assert.ok(m.text.includes('Uw aanmeldingen en gegevens beheren: https://deboon.example/m/tok'));
    assert.ok(m.text.includes('Koffiebranderij De Boon B.V.\nHoofdstraat 1\n3511 AB Utrecht\nKvK-nummer 12345678'));
    assert.ok(m.html.includes(`<a href="${UNSUB}"`));
    assert.match(m.html, />Afmelden<\/a>/);
    assert.match(m.html, />Privacyverklaring<\/a>/);
    assert.match(m.html, /Hoofdstraat 1<br>3511 AB Utrecht<br>KvK-nummer 12345678/);
    assert.match(m.html, /<html lang="nl"/);
  });

  it('states the real reason in the footer: a customer did not subscribe (Tw 11.7(3))', () => {
    const nl = composeCampaignMessage({ ...campaignInput(), reason: 'customer' });
    assert.match(nl.text, /U ontvangt dit bericht omdat u klant bent van Koffiebranderij De Boon B\.V\./);
    assert.doesNotMatch(nl.text, /aangemeld/);
    const en = composeCampaignMessage({ ...campaignInput({}, 'en'), reason: 'staff' });
    assert.match(en.text, /as an employee of Koffiebranderij De Boon B\.V\., at your work address/);
    assert.match(composeCampaignMessage(campaignInput()).text, /omdat u zich hebt aangemeld voor Koffietips/);
  });

  it('writes the English footer', () => {
    const m = campaign({}, 'en');
    assert.ok(m.text.includes('You are receiving this message because you subscribed to Koffietips from Koffiebranderij De Boon B.V.\n'));
    assert.ok(m.text.includes(`one button unsubscribes you: ${UNSUB}`));
    assert.ok(m.text.includes('Privacy notice: https://deboon.example/privacy'));
    assert.ok(m.text.includes('Chamber of Commerce (KvK) no. 12345678'));
    assert.match(m.html, />Unsubscribe<\/a>/);
    assert.match(m.html, /<html lang="en"/);
  });

  it('leaves out the manage link and KvK line when not given', () => {
    const { chamberOfCommerce: _k, ...noKvk } = org;
    const input = campaignInput({ org: noKvk });
    const m = campaign({ org: noKvk, links: { unsubscribe: input.links.unsubscribe, privacy: input.links.privacy } });
    assert.ok(!m.text.includes('beheren'));
    assert.ok(!m.text.includes('KvK'));
  });

  it('escapes markup from names in HTML but not in the text part', () => {
    const m = campaign({ contact: { email: 'x@y.nl', firstName: '<script>alert("x")</script>', lastName: 'O\'Brien & Co' } });
    assert.ok(!m.html.includes('<script>'));
    assert.ok(m.html.includes('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Brien &amp; Co'), m.html);
    assert.ok(m.text.startsWith('Beste <script>alert("x")</script> O\'Brien & Co,'));
  });

  it('escapes markup in the organisation and purpose names in the HTML footer', () => {
    const m = campaign({ campaign: { ...campaignInput().campaign, purposeName: '<b>Tips</b>' } });
    assert.ok(!m.html.includes('<b>Tips</b>'));
    assert.ok(m.text.includes('aangemeld voor <b>Tips</b> van'));
  });

  it('refuses a subject that renders with CR or LF', () => {
    const body = campaignInput().campaign.body;
    assert.throws(() => campaign({ campaign: { subject: 'Hi\r\nBcc: x@evil.example', body, purposeName: 'T' } }), /subject.*line break/);
    assert.throws(
      () => campaign({ contact: { email: 'a@b.nl', firstName: 'Jan\nBcc: x@evil.example', lastName: null } }),
      /subject: must be one line/,
    );
  });

  it('refuses an empty or overlong subject', () => {
    const body = campaignInput().campaign.body;
    assert.throws(() => campaign({ campaign: { subject: '{{ last_name }}', body, purposeName: 'T' }, contact: { email: 'a@b.nl', firstName: null, lastName: null } }), /subject: is empty/);
    assert.throws(() => campaign({ campaign: { subject: 'x'.repeat(251), body, purposeName: 'T' } }), /at most 250/);
  });

  it('reports template errors with part and line', () => {
    const c = campaignInput().campaign;
    assert.throws(() => campaign({ campaign: { ...c, body: 'Hallo\n\n{% if first_name %}open' } }), /^Error: body template error at line 3, column 1: tag .* not closed/);
    assert.throws(() => campaign({ campaign: { ...c, subject: 'Hi {{ first_name | nope }}' } }), /subject template error at line 1, column 4: undefined filter: nope/);
    assert.throws(() => campaign({ campaign: { ...c, body: 'a\n{{ frist_name }}' } }), /body template error at line 2.*undefined variable: frist_name/);
  });

  it('gives templates no file access', () => {
    const c = campaignInput().campaign;
    assert.throws(() => campaign({ campaign: { ...c, body: '{% include "/etc/passwd" %}' } }), /body template error/);
  });

  it('refuses unusable addresses, URLs and list ids', () => {
    const links = campaignInput().links;
    assert.throws(() => campaign({ contact: { email: 'a@b.nl\r\nBcc: c@d.nl', firstName: null, lastName: null } }), /email:/);
    assert.throws(() => campaign({ links: { ...links, unsubscribe: 'http://deboon.example/u/x' } }), /links\.unsubscribe: must be an https/);
    assert.throws(() => campaign({ links: { ...links, unsubscribe: 'https://x.example/u>, <mailto:a@b' } }), /links\.unsubscribe/);
    assert.throws(() => campaign({ links: { ...links, privacy: 'javascript:alert(1)' } }), /links\.privacy/);
    assert.throws(() => campaign({ listId: 'no spaces allowed' }), /listId/);
    assert.doesNotThrow(() => campaign({ links: { ...links, unsubscribe: 'http://localhost:3000/u/x' } }));
  });
});

describe('composeConfirmationMessage', () => {
  const input = {
    org,
    email: 'jan@voorbeeld.nl',
    purposeNames: ['Koffietips', 'Proefpakketten'],
    confirmUrl: 'https://deboon.example/c/tok',
    privacyUrl: 'https://deboon.example/privacy',
    messageId: 'c1@deboon.example',
    envelopeFrom: 'bounces+c1@deboon.example',
  };

  it('asks to confirm in Dutch', () => {
    const m = composeConfirmationMessage({ ...input, language: 'nl' });
    assert.equal(m.subject, 'Bevestig uw aanmelding bij Koffiebranderij De Boon B.V.');
    assert.equal(m.replyTo, 'info@deboon.example');
    assert.equal(m.headers['List-Unsubscribe'], undefined);
    assert.ok(m.text.includes('aangemeld voor:\n- Koffietips\n- Proefpakketten'));
    assert.ok(m.text.includes('drukt u op de knop'));
    // Each part names what the person sees: the text part a link written out, the HTML part a button (issue 10).
    assert.ok(m.text.includes('via de link hieronder'));
    assert.ok(m.html.includes('met de knop hieronder'));
    assert.ok(!m.html.includes('link hieronder'));
    assert.ok(m.text.includes('https://deboon.example/c/tok'));
    assert.ok(m.text.includes('Er gebeurt dan niets'));
    assert.ok(m.text.includes('Privacyverklaring: https://deboon.example/privacy'));
    assert.ok(m.text.includes('KvK-nummer 12345678'));
    assert.match(m.html, /<a href="https:\/\/deboon\.example\/c\/tok"[^>]*>Aanmelding bevestigen<\/a>/);
    assert.match(m.html, /<li[^>]*><strong>Proefpakketten<\/strong><\/li>/);
  });

  it('asks to confirm in English', () => {
    const m = composeConfirmationMessage({ ...input, language: 'en' });
    assert.equal(m.subject, 'Please confirm your subscription to Koffiebranderij De Boon B.V.');
    assert.ok(m.text.includes('simply ignore this email. Nothing will happen'));
    assert.ok(m.text.includes('button you press to confirm'));
    assert.ok(m.text.includes('using the link below'));
    assert.ok(m.html.includes('using the button below'));
    assert.ok(!m.html.includes('link below'));
    assert.match(m.html, />Confirm my subscription<\/a>/);
  });

  it('needs at least one purpose or an item', () => {
    assert.throws(() => composeConfirmationMessage({ ...input, language: 'nl', purposeNames: [] }), /purposeNames/);
  });

  it('for a requested item alone asks to confirm the address, not a subscription (en)', () => {
    const m = composeConfirmationMessage({ ...input, language: 'en', purposeNames: [], itemName: 'Coffee guide <e-book>' });
    assert.equal(m.subject, 'Please confirm your e-mail address for Koffiebranderij De Boon B.V.');
    assert.ok(m.text.includes('You asked Koffiebranderij De Boon B.V. for:\n- Coffee guide <e-book>'));
    assert.ok(m.text.includes('then we send it to you straight away. This does not sign you up for a newsletter.'));
    assert.match(m.html, /<strong>Coffee guide &#60;e-book&#62;<\/strong>/);
    assert.match(m.html, />Confirm my e-mail address<\/a>/);
    assert.ok(!m.text.includes('subscription'));
  });

  it('with newsletters and an item says that confirming also sends the item (nl)', () => {
    const m = composeConfirmationMessage({ ...input, language: 'nl', itemName: 'Koffiegids' });
    assert.equal(m.subject, 'Bevestig uw aanmelding bij Koffiebranderij De Boon B.V.');
    assert.ok(m.text.includes('- Proefpakketten\n\nZodra u bevestigt, sturen wij u ook Koffiegids toe.'));
    assert.ok(m.html.includes('Zodra u bevestigt, sturen wij u ook Koffiegids toe.'));
  });
});

describe('composeServiceMessage', () => {
  it('writes paragraphs, one action and the identity footer', () => {
    const m = composeServiceMessage({
      org,
      language: 'en',
      email: 'jan@voorbeeld.nl',
      subject: 'Your e-book',
      paragraphs: ['Thanks for your interest.', 'Download it <here>.'],
      action: { label: 'Download the e-book', url: 'https://deboon.example/e/tok' },
      privacyUrl: 'https://deboon.example/privacy',
      messageId: 's1@deboon.example',
      envelopeFrom: 'bounces+s1@deboon.example',
    });
    assert.equal(m.subject, 'Your e-book');
    assert.ok(m.text.startsWith('Thanks for your interest.\n\nDownload it <here>.\n\nDownload the e-book: https://deboon.example/e/tok'));
    assert.ok(m.text.includes('This is a message from Koffiebranderij De Boon B.V.\nPrivacy notice: https://deboon.example/privacy'));
    assert.ok(m.html.includes('Download it &#60;here&#62;.'));
    assert.match(m.html, />Download the e-book<\/a>/);
  });
});

describe('messageIdFor and verpAddress', () => {
  it('makes unique message ids at the domain', () => {
    const a = messageIdFor('DeBoon.example');
    assert.match(a, /^[A-Za-z0-9_-]{24}@deboon\.example$/);
    assert.notEqual(a, messageIdFor('deboon.example'));
    assert.throws(() => messageIdFor('bad domain>'), /domain/);
  });

  it('builds the VERP address at the from domain', () => {
    assert.equal(verpAddress('nieuws@deboon.example', 'd42.x'), 'bounces+d42.x@deboon.example');
    assert.throws(() => verpAddress('nieuws@deboon.example', 'a@b'), /token/);
    assert.throws(() => verpAddress('nieuws@deboon.example', 'x'.repeat(57)), /token/);
  });
});
