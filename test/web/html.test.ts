import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, layout, raw } from '../../src/web/html.js';
import { fromAcceptLanguage } from '../../src/web/language.js';
import { WEB_TEXTS } from '../../src/web/texts.js';

test('html escapes every interpolated value unless marked safe', () => {
  const name = '<script>alert("x")</script> & \'y\'';
  assert.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>');
  assert.equal(html`<p>${raw('<b>ok</b>')}</p>`.value, '<p><b>ok</b></p>');
  assert.equal(html`<ul>${['<a>', html`<li>b</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>b</li></ul>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  assert.equal(escapeHtml('"'), '&quot;');
});

test('layout: doctype, lang, viewport, title, stylesheet, language switch keeping the path', () => {
  const page = layout({ lang: 'en', path: '/f/koffie', title: 'T<1>', org: null }, html`<p>x</p>`);
  assert.match(page, /^<!doctype html>\n<html lang="en">/);
  assert.match(page, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(page, /<title>T&lt;1&gt; · Consentry<\/title>/);
  assert.match(page, /<link rel="stylesheet" href="\/assets\/site.css">/);
  assert.match(page, /<a href="\/f\/koffie\?lang=nl"[^>]*>NL<\/a>/);
  assert.doesNotMatch(page, /<script/i);
});

test('Accept-Language picks nl or en by quality, default nl', () => {
  assert.equal(fromAcceptLanguage(undefined), 'nl');
  assert.equal(fromAcceptLanguage('en-GB,en;q=0.9'), 'en');
  assert.equal(fromAcceptLanguage('de-DE, en;q=0.8, nl;q=0.5'), 'en');
  assert.equal(fromAcceptLanguage('nl-BE, en;q=0.8'), 'nl');
  assert.equal(fromAcceptLanguage('fr, de'), 'nl');
  assert.equal(fromAcceptLanguage('en;q=0, nl;q=0.1'), 'nl');
});

test('every page text exists in both languages and differs where it should', () => {
  assert.deepEqual(Object.keys(WEB_TEXTS.en).sort(), Object.keys(WEB_TEXTS.nl).sort());
  for (const [k, v] of Object.entries(WEB_TEXTS.nl)) assert.ok(v.length > 0, k);
});
