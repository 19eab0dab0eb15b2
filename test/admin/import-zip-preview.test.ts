// The preview of a Mailchimp export (.zip) says what will be read instead of promising rows it does not show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminHarness } from '../support/admin.js';

test('imports: a Mailchimp .zip preview names the lists it reads, nl and en', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const zip = readFileSync(join(process.cwd(), 'test', 'fixtures', 'mailchimp-export.zip'));
  for (const [lang, expected] of [['nl', /Uit mailchimp-export\.zip leest Consentry de lijsten aangemeld \(subscribed\), afgemeld \(unsubscribed\) en opgeschoond \(cleaned\)/], ['en', /From mailchimp-export\.zip Consentry reads the subscribed, unsubscribed and cleaned lists/]] as const) {
    const fields = { _csrf: await editor.csrf('/admin/imports'), purpose: 'tips', preset: 'mailchimp', source: 'mailchimp', basis: 'A6-1-a', date: '', evidence: '', namesUs: 'no', namesPurpose: 'no' };
    const b = '----zip';
    const head = Object.entries(fields).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')
      + `--${b}\r\nContent-Disposition: form-data; name="file"; filename="mailchimp-export.zip"\r\nContent-Type: application/zip\r\n\r\n`;
    const res = await h.app.inject({
      method: 'POST', url: `/admin/imports/preview?lang=${lang}`,
      headers: { cookie: [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${b}` },
      payload: Buffer.concat([Buffer.from(head), zip, Buffer.from(`\r\n--${b}--\r\n`)]),
    });
    assert.match(res.body, expected, res.body.slice(0, 400));
    assert.doesNotMatch(res.body, /Zo leest Consentry de eerste regels|This is how Consentry reads the first rows/);
  }
});
