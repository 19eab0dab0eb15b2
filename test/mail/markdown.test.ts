import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCampaign, composeCompiled, type CampaignContent } from '../../src/mail/compile.js';
import { org, UNSUB } from './fixtures.js';

const content = (over: Partial<CampaignContent> = {}): CampaignContent => ({
  org,
  language: 'nl',
  format: 'markdown',
  subject: 'Nieuws voor {{ first_name }}',
  body: '# Nieuwe oogst\n\nBeste {{ first_name | default: "lezer" }},\n\nDeze week **Ethiopië**:\n\n- licht\n- fruitig\n\n[Bestel hier](https://deboon.example/shop?a=1&b=2)\n\n![Bonen](https://deboon.example/bonen.jpg)\n\nZie ook https://deboon.example/blog',
  purposeName: 'Koffietips',
  links: { privacy: 'https://deboon.example/privacy', manage: 'https://deboon.example/manage' },
  ...over,
});

const send = (c: CampaignContent, contact = { email: 'jan@voorbeeld.nl', firstName: 'Jan' as string | null, lastName: null as string | null }) =>
  composeCompiled(compileCampaign(c), { contact, unsubscribe: UNSUB, messageId: 'm1@deboon.example', envelopeFrom: 'b@deboon.example', listId: 'tips.deboon.example' });

const longestLine = (s: string) => Math.max(...s.split(/\r?\n/).map((l) => l.length));

describe('Markdown campaigns', () => {
  it('renders heading, bold, list, link, image and a bare URL; the text part writes links out', () => {
    const m = send(content());
    assert.match(m.html, /<h1 style="[^"]+">Nieuwe oogst<\/h1>/);
    assert.match(m.html, /<strong>Ethiopië<\/strong>/);
    assert.match(m.html, /<ul style="[^"]+">\n<li style="[^"]+">licht<\/li>/);
    // A paragraph of one link is a call-to-action button in the accent colour.
    assert.match(m.html, /<td style="border-radius:6px;background:#1a56a6"><a href="https:\/\/deboon\.example\/shop\?a=1&#38;b=2" style="[^"]+">Bestel hier<\/a>/);
    assert.match(m.html, /<img src="https:\/\/deboon\.example\/bonen\.jpg" alt="Bonen" style="[^"]*max-width:100%/);
    assert.match(m.html, /<a href="https:\/\/deboon\.example\/blog"[^>]*>https:\/\/deboon\.example\/blog<\/a>/);
    assert.match(m.text, /Bestel hier <https:\/\/deboon\.example\/shop\?a=1&b=2>/);
    assert.match(m.text, /Beste Jan,/);
    assert.match(m.text, / - licht\n - fruitig/);
    assert.match(m.text, /Deze link opent een pagina waar u met één knop afmeldt: https:\/\/deboon\.example\/u\//);
    assert.match(m.html, /<html lang="nl"/);
    assert.match(m.html, />Afmelden<\/a>/);
  });

  it('writes the footer in the campaign language, not the contact\'s', () => {
    const m = send(content({ language: 'en', purposeName: 'Coffee tips', body: 'Hello {{ first_name | default: "reader" }}' }));
    assert.match(m.text, /You are receiving this message because you subscribed to Coffee tips/);
    assert.match(m.html, />Unsubscribe<\/a>/);
    assert.doesNotMatch(m.text + m.html, /Afmelden|aangemeld|Privacyverklaring/);
  });

  it('uses the default for a contact without a name and leaves no "Hallo ," or trailing space', () => {
    const c = content({ subject: '  Hallo   {{ first_name }} ', body: 'Hallo {{ first_name }},\n\nBeste {{ first_name | default: "lezer" }}!' });
    const m = send(c, { email: 'x@voorbeeld.nl', firstName: null, lastName: null });
    assert.equal(m.subject, 'Hallo');
    assert.match(m.text, /^Hallo,\n\nBeste lezer!/);
    assert.match(m.html, />Hallo,<\/p>/);
    assert.deepEqual(compileCampaign(c).needs, ['first_name']);
    assert.equal(send(c).subject, 'Hallo Jan');
  });

  it('removes script, event attributes and javascript: URLs from raw HTML', () => {
    const body = 'Hoi\n\n<script>alert(1)</script>\n\n<img src="https://x.example/a.png" onerror="alert(2)">\n\n<a href="javascript:alert(3)">klik</a> <a href="https://ok.example" onclick="x()">ok</a>\n\n[md](javascript:alert(4))\n\n<div style="display:none">verborgen</div><style>p{display:none}</style><iframe src="https://evil.example"></iframe>';
    const m = send(content({ body }));
    for (const bad of ['<script', 'alert(1)', 'onerror', 'onclick', 'javascript:', '<iframe', '<style>p', 'display:none']) {
      assert.ok(!m.html.includes(bad), `${bad} in ${m.html}`);
    }
    assert.match(m.html, /<a href="https:\/\/ok\.example"/);
  });

  it('escapes variables in HTML and keeps them whole in the text part', () => {
    const m = send(content({ body: 'Beste {{ first_name }}, [link](https://x.example/?n={{ first_name }})' }), { email: 'a@b.nl', firstName: '<b>Jan</b> & "co"', lastName: null });
    assert.ok(!m.html.includes('<b>Jan</b>'));
    assert.match(m.html, /&lt;b&gt;Jan&lt;\/b&gt; &amp; &#34;co&#34;/);
    assert.match(m.text, /Beste <b>Jan<\/b> & "co"/);
  });

  it('keeps every line under 998 characters: a 5,000-character word, a long link, a long paragraph', () => {
    const word = 'x'.repeat(5000);
    const para = Array.from({ length: 400 }, (_, i) => `woord${i}`).join(' ');
    const m = send(content({ body: `${word}\n\n${para}\n\n[lang](https://deboon.example/${'a'.repeat(600)})\n\n<b>unclosed <i>tags\n\n\`\`\`\n${'y'.repeat(3000)}\n\`\`\`` }));
    assert.ok(longestLine(m.html) <= 998, `html line ${longestLine(m.html)}`);
    assert.ok(longestLine(m.text) <= 998, `text line ${longestLine(m.text)}`);
    assert.ok(m.html.includes('x'.repeat(500)));
    assert.ok(m.html.trimEnd().endsWith('</html>'));
  });

  it('refuses a 2 MB body clearly and renders a 90 KB one within the limits', () => {
    assert.throws(() => compileCampaign(content({ body: 'x '.repeat(1_000_000) })), /^Error: body: is 2,000,000 characters; at most 200,000/);
    const body = Array.from({ length: 1_200 }, (_, i) => `Alinea ${i} met **vet** en een [link](https://deboon.example/${i}).`).join('\n\n');
    assert.ok(body.length > 80_000 && body.length < 200_000);
    const m = send(content({ body }));
    assert.ok(longestLine(m.html) <= 998);
    assert.match(m.text, /Alinea 1199 met vet/);
  });

  it('refuses a misspelt variable, a Liquid error and an image that is not https, naming the part', () => {
    assert.throws(() => compileCampaign(content({ body: 'Hoi {{ frist_name }}' })), /^Error: body template error at line 1.*frist_name/);
    assert.throws(() => compileCampaign(content({ subject: 'Hoi {{ first_name ' })), /^Error: subject template error/);
    assert.throws(() => compileCampaign(content({ body: 'x\n\n{% if first_name %}open' })), /^Error: body template error/);
    assert.throws(() => compileCampaign(content({ body: '![a](http://deboon.example/a.png)' })), /^Error: body: the image "http:\/\/deboon\.example\/a\.png" must be an https/);
    assert.throws(() => compileCampaign(content({ body: '<img src="data:image/png;base64,AAAA">' })), /must be an https/);
  });

  it('keeps plain-text campaigns as text: tags shown, URLs linked', () => {
    const m = send(content({ format: 'text', body: 'Hoi <b>daar</b>\nzie https://deboon.example/a.' }));
    assert.match(m.html, /Hoi &lt;b&gt;daar&lt;\/b&gt;<br \/>\nzie <a href="https:\/\/deboon\.example\/a"[^>]*>https:\/\/deboon\.example\/a<\/a>\./);
    assert.match(m.text, /^Hoi <b>daar<\/b>\nzie https:\/\/deboon\.example\/a\./);
  });
});
