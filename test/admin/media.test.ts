// The Media page: editors upload an image or a file through the media service (the same size and type rules as
// `consentry media add`), every role sees the list with name, size, type, the stable URL and a thumbnail for
// images; the file is served at that URL. Viewers and missing tokens are refused; a refused type is shown next
// to the field; screenshots nl/en at 1280 and 390 px (test-artifacts/admin/media-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminClient } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';

type Harness = Awaited<ReturnType<typeof adminHarness>>;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(
  '0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6bb3b0000000049454e44ae426082', 'hex')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Posts the upload form with one file, as a browser does. */
async function upload(h: Harness, c: AdminClient, file: { name: string; data: Buffer } | null, csrf = true) {
  const boundary = '----consentry-media-test';
  const parts: Buffer[] = [];
  if (csrf) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${await c.csrf('/admin/media')}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return h.app.inject({
    method: 'POST', url: '/admin/media',
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

test('media: editors upload, every role sees the stable URL; refused types next to the field; viewers and missing tokens refused', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const viewer = await h.as('viewer');

  assert.equal((await upload(h, viewer, { name: 'logo.png', data: PNG })).statusCode, 403);
  assert.equal((await upload(h, editor, { name: 'logo.png', data: PNG }, false)).statusCode, 403);
  assert.doesNotMatch((await viewer.get('/admin/media')).body, /logo\.png/);

  const svg = await upload(h, editor, { name: 'logo.svg', data: Buffer.from('<svg onload="alert(1)"></svg>') });
  assert.equal(svg.statusCode, 400);
  assert.match(svg.body, /id="file-error">Alleen PNG-, JPEG-/);
  const none = await upload(h, editor, null);
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /id="file-error">Kies een bestand/);
  const empty = await upload(h, editor, { name: 'leeg.pdf', data: Buffer.alloc(0) });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /id="file-error">/);

  const ok = await upload(h, editor, { name: 'Logo <script>alert(1)</script> "onmouseover=x.png', data: PNG });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin/media');
  assert.equal((await upload(h, editor, { name: 'E-book koffie.pdf', data: PDF })).statusCode, 303);

  // The viewer sees the list (no upload form): name, size, type, the URL to copy, a thumbnail for the image only.
  const list = await viewer.get('/admin/media');
  assert.equal(list.statusCode, 200);
  assert.doesNotMatch(list.body, /enctype="multipart/);
  assert.doesNotMatch(list.body, /<script>alert/);
  assert.doesNotMatch(list.body, /"onmouseover=/);
  const urls = [...list.body.matchAll(/value="(http:\/\/localhost:3000\/media\/[0-9a-f]{24}\/[^"]+)"/g)].map((m) => m[1]!);
  assert.equal(urls.length, 2);
  assert.ok(urls.some((u) => u.endsWith('/E-book-koffie.pdf')));
  assert.match(list.body, /application\/pdf/);
  assert.match(list.body, /image\/png/);
  assert.equal([...list.body.matchAll(/<img class="thumb" src="\/media\//g)].length, 1);

  // Served by Consentry at that URL, with the stored bytes.
  for (const u of urls) {
    const served = await h.app.inject({ method: 'GET', url: new URL(u).pathname });
    assert.equal(served.statusCode, 200);
    assert.ok(u.endsWith('.pdf') ? served.rawPayload.equals(PDF) : served.rawPayload.equals(PNG));
  }
  const en = await editor.get('/admin/media?lang=en');
  assert.match(en.body, /Upload a file/);
});

test('media page in Chromium: screenshots nl/en at 1280 and 390 px', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const b = await adminBrowser(t);
  const editor = await b.h.signIn();
  assert.equal((await upload(b.h, editor, { name: 'logo-de-boon.png', data: PNG })).statusCode, 303);
  assert.equal((await upload(b.h, editor, { name: 'Koffie e-book met een heel lange naam voor de telefoon.pdf', data: PDF })).statusCode, 303);
  const page = await b.signedIn();
  await b.shots(page, 'media', '/admin/media');
  await page.setViewportSize({ width: 390, height: 900 });
  await page.goto('/admin/media');
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `/admin/media scrolls sideways at 390 px (${scroll} > ${client})`);
});
