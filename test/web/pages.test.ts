import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './support.js';

test('form page in nl and en: fields, unticked boxes, sender, privacy link before submit, only our own solver script', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  for (const [lang, title, button, freq, email] of [
    ['nl', 'Koffietips van Koffiebranderij De Boon B.V.', 'Aanmelden', 'één keer per maand', 'E-mailadres'],
    ['en', 'Coffee tips from Koffiebranderij De Boon B.V.', 'Sign up', 'once a month', 'E-mail address'],
  ] as const) {
    const res = await h.app.inject({ url: `/f/koffie?lang=${lang}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html; charset=utf-8/);
    const body = res.body;
    assert.match(body, new RegExp(`<html lang="${lang}">`));
    assert.ok(body.includes(`<h1>${title}</h1>`), `${lang}: title`);
    assert.ok(body.includes(`>${email}</label>`));
    assert.match(body, /<input type="email" id="email" name="email" required autocomplete="email"/);
    assert.match(body, /<input type="text" id="firstName" name="firstName"/);
    const boxes = body.match(/<input type="checkbox"[^>]*>/g) ?? [];
    assert.equal(boxes.length, 1);
    assert.ok(boxes.every((b) => !/checked/.test(b)), 'boxes are unticked');
    assert.match(boxes[0]!, /name="purposes" value="tips"/);
    assert.ok(body.includes(freq), `${lang}: frequency shown`);
    assert.ok(body.includes('Hoofdstraat 1, 3511 AB Utrecht'), 'sender address');
    const privacyAt = body.indexOf('href="/privacy?lang=');
    const submitAt = body.indexOf('<button type="submit">');
    assert.ok(privacyAt > 0 && submitAt > privacyAt, 'privacy link before submit');
    assert.ok(body.includes(`>${button}</button>`));
    assert.deepEqual(body.match(/<script[^>]*>/gi), ['<script src="/assets/signup-solver.js" defer>'], 'no inline script, none from elsewhere');
    assert.match(body, /<form method="post" action="\/f\/koffie\?lang=/);
  }
});

test('language comes from ?lang, then Accept-Language, default nl', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const lang = async (url: string, al?: string) =>
    /<html lang="(\w+)">/.exec((await h.app.inject({ url, headers: al ? { 'accept-language': al } : {} })).body)?.[1];
  assert.equal(await lang('/f/koffie'), 'nl');
  assert.equal(await lang('/f/koffie', 'en-US,en;q=0.9'), 'en');
  assert.equal(await lang('/f/koffie?lang=nl', 'en'), 'nl');
  assert.equal(await lang('/f/koffie?lang=xx', 'en'), 'en');
});

test('unknown form 404 and form without published notice 503, as pages in the language', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const missing = await h.app.inject({ url: '/f/nope?lang=en' });
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /This sign-up form does not exist/);
  const nl = await h.app.inject({ url: '/f/nope' });
  assert.match(nl.body, /Dit aanmeldformulier bestaat niet/);
  await h.deps.db.updateTable('privacy_notices').set({ published_at: null }).execute();
  const closed = await h.app.inject({ url: '/f/koffie?lang=en' });
  assert.equal(closed.statusCode, 503);
  assert.match(closed.body, /This form is closed/);
  assert.match((await h.app.inject({ url: '/f/koffie' })).body, /Dit formulier is gesloten/);
});

test('privacy notice: current and by version, 404 when none', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  for (const [lang, title, meta] of [
    ['nl', 'Privacyverklaring van Koffiebranderij De Boon B.V. (versie 1)', 'Versie 1, gepubliceerd op 1 maart 2025.'],
    ['en', 'Privacy notice of Koffiebranderij De Boon B.V. (version 1)', 'Version 1, published on 1 March 2025.'],
  ] as const) {
    for (const url of [`/privacy?lang=${lang}`, `/privacy/1?lang=${lang}`]) {
      const res = await h.app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.ok(res.body.includes(`<h1>${title}</h1>`), url);
      assert.ok(res.body.includes(meta), url);
      assert.ok((res.body.match(/<h2>/g) ?? []).length >= 5, 'sections rendered');
      assert.ok(res.body.includes('Hoofdstraat 1<br>3511 AB Utrecht'), 'the postal address keeps its line break');
    }
  }
  assert.equal((await h.app.inject({ url: '/privacy/2' })).statusCode, 404);
  assert.equal((await h.app.inject({ url: '/privacy/abc' })).statusCode, 404);
  await h.deps.db.updateTable('privacy_notices').set({ published_at: null }).execute();
  assert.equal((await h.app.inject({ url: '/privacy' })).statusCode, 404);
  assert.equal((await h.app.inject({ url: '/privacy/1' })).statusCode, 404, 'drafts stay hidden');
});

test('home page names the organisation and links forms and notice; before init it says to run init', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  for (const lang of ['nl', 'en']) {
    const res = await h.app.inject({ url: `/?lang=${lang}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Koffiebranderij De Boon B.V.<\/h1>/);
    assert.match(res.body, new RegExp(`href="/f/koffie\\?lang=${lang}"`));
    assert.match(res.body, /href="\/privacy\?lang=/);
  }
  const empty = await harness({ init: false });
  t.after(() => empty.close());
  for (const lang of ['nl', 'en']) {
    const res = await empty.app.inject({ url: `/?lang=${lang}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /npx consentry init/);
  }
});

test('healthz, stylesheet, CSP with scripts from our own origin only, 404 page', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const health = await h.app.inject({ url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  const css = await h.app.inject({ url: '/assets/site.css' });
  assert.equal(css.statusCode, 200);
  assert.match(css.headers['content-type'] as string, /^text\/css/);
  const page = await h.app.inject({ url: '/f/koffie' });
  const csp = page.headers['content-security-policy'] as string;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /style-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const missing = await h.app.inject({ url: '/nothing-here?lang=en' });
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /<h1>Not found<\/h1>/);
});

test('a site icon from our own origin, linked from the public and admin pages; /favicon.ico leads to it', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const icon = await h.app.inject({ url: '/favicon.svg' });
  assert.equal(icon.statusCode, 200);
  assert.match(String(icon.headers['content-type']), /^image\/svg\+xml/);
  assert.match(icon.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const ico = await h.app.inject({ url: '/favicon.ico' });
  assert.equal(ico.statusCode, 301);
  assert.equal(ico.headers.location, '/favicon.svg');
  for (const url of ['/', '/f/koffie', '/admin/login']) {
    assert.match((await h.app.inject({ url })).body, /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml">/, url);
  }
});
