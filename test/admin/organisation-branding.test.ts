// The mail branding on the Organisation page: the logo chosen from the uploaded images, uploaded right there
// (through the media service) or none, and the accent colour; owner only, with CSRF; a refused file or colour shown
// next to its field with the typed values kept and nothing stored; each change in the action log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminClient, type AdminHarness } from '../support/admin.js';
import { readActionLog } from '../../src/services/admin/action-log.js';
import { getOrganisation } from '../../src/store/settings.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(
  '0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6bb3b0000000049454e44ae426082', 'hex')]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Posts the branding form as a browser does (multipart, with an optional file and the page's CSRF token). */
async function postBranding(h: AdminHarness, c: AdminClient, fields: Record<string, string>, file: { name: string; data: Buffer } | null, opts: { csrf?: boolean; lang?: string } = {}) {
  const boundary = '----consentry-branding-test';
  const parts: Buffer[] = [];
  const all = opts.csrf === false ? fields : { _csrf: await c.csrf('/admin/organisation'), ...fields };
  for (const [k, v] of Object.entries(all)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="logoFile"; filename="${file?.name ?? ''}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file?.data ?? Buffer.alloc(0), Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return h.app.inject({
    method: 'POST', url: `/admin/organisation/branding${opts.lang ? `?lang=${opts.lang}` : ''}`,
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

const mediaCount = async (h: AdminHarness) => (await h.deps.db.selectFrom('media').select('id').execute()).length;

test('organisation branding: upload a logo right there, choose an uploaded image or none; owner only, with CSRF; refusals next to the field', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();

  const page = await owner.get('/admin/organisation');
  assert.match(page.body, /<form method="post" action="\/admin\/organisation\/branding#branding" enctype="multipart\/form-data" novalidate>/);
  assert.match(page.body, /<select id="logo" name="logo"[^>]*>\s*<option value="" selected>geen logo<\/option>/);
  assert.match(page.body, /<input type="file" id="logoFile" name="logoFile" accept="\.png,\.jpg,\.jpeg,\.gif,\.webp"/);
  assert.equal((page.body.match(/name="accentColour"/g) ?? []).length, 1, 'one accent colour field');

  for (const role of ['viewer', 'editor', 'privacy_officer'] as const) {
    const res = await postBranding(h, await h.as(role), { logo: '', logoUrl: '', accentColour: '#1a2b3c' }, { name: 'logo.png', data: PNG });
    assert.equal(res.statusCode, 403, role);
  }
  assert.equal((await postBranding(h, owner, { logo: '', logoUrl: '', accentColour: '#1a2b3c' }, { name: 'logo.png', data: PNG }, { csrf: false })).statusCode, 403);
  assert.equal(await mediaCount(h), 0, 'no file stored');

  // A PDF is no logo; a wrong colour refuses the upload too: each next to its field, the colour kept, nothing stored.
  const pdf = await postBranding(h, owner, { logo: '', logoUrl: '', accentColour: '#1a2b3c' }, { name: 'gids.pdf', data: PDF });
  assert.equal(pdf.statusCode, 400);
  assert.match(pdf.body, /id="logoFile-error">Het logo moet een PNG-, JPEG-, GIF- of WebP-afbeelding zijn/);
  assert.match(pdf.body, /id="accentColour" name="accentColour"[^>]*value="#1a2b3c"/);
  const colour = await postBranding(h, owner, { logo: '', logoUrl: '', accentColour: 'blauw' }, { name: 'logo.png', data: PNG }, { lang: 'en' });
  assert.equal(colour.statusCode, 400);
  assert.match(colour.body, /id="accentColour-error">/);
  assert.match(colour.body, /value="blauw"/);
  assert.equal(await mediaCount(h), 0, 'no file stored');
  assert.equal((await getOrganisation(h.deps.db))!.logoUrl, undefined);

  const uploaded = await postBranding(h, owner, { logo: '', logoUrl: '', accentColour: '#1a2b3c' }, { name: 'Logo De Boon.png', data: PNG });
  assert.equal(uploaded.statusCode, 303, uploaded.body);
  const org = (await getOrganisation(h.deps.db))!;
  assert.match(org.logoUrl ?? '', /^http:\/\/localhost:3000\/media\/[0-9a-f]{24}\/Logo-De-Boon\.png$/);
  assert.equal(org.accentColour, '#1a2b3c');
  const logoUrl = org.logoUrl!;
  assert.match((await owner.get('/admin/media')).body, /Logo-De-Boon\.png/, 'the upload is on the Media page too');
  const after = await owner.get('/admin/organisation');
  assert.match(after.body, new RegExp(`<option value="${logoUrl}" selected>Logo-De-Boon.png</option>`));
  assert.match(after.body, /<img src="\/media\/[0-9a-f]{24}\/Logo-De-Boon\.png" alt="Het huidige logo"/);

  // None, then the uploaded image chosen again from the list (no file sent).
  assert.equal((await postBranding(h, owner, { logo: '', logoUrl: '', accentColour: '#1a2b3c' }, null)).statusCode, 303);
  assert.equal((await getOrganisation(h.deps.db))!.logoUrl, undefined);
  assert.equal((await postBranding(h, owner, { logo: logoUrl, logoUrl: '', accentColour: '' }, null)).statusCode, 303);
  const chosen = (await getOrganisation(h.deps.db))!;
  assert.equal(chosen.logoUrl, logoUrl);
  assert.equal(chosen.accentColour, undefined, 'an empty colour is the default');
  const forged = await postBranding(h, owner, { logo: 'javascript:alert(1)', logoUrl: '', accentColour: '' }, null);
  assert.equal(forged.statusCode, 400);
  assert.match(forged.body, /id="logo-error">/);
  assert.equal(await mediaCount(h), 1);

  const log = (await readActionLog(h.deps)).entries.filter((e) => e.action === 'POST /admin/organisation/branding');
  assert.equal(log.length, 3);
  assert.ok(log.every((e) => e.actor.name === 'eigenaar@deboon.example'));
});
