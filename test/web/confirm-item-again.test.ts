// A second press of a confirmation link that delivered a requested item (a double click): the "already confirmed"
// page still offers the item's download link and says it was sent by mail; pressing again sends nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listOutbox } from '../../src/mail/outbox.js';
import { setPurposeItem } from '../../src/services/consent/welcome.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { form, FORM_HEADERS, harness, lastConfirmPath } from './support.js';

const ITEM_URL = 'https://deboon.example/gids.pdf';

test('confirm twice: the "already done" page keeps the item\'s download link and says it was mailed (nl, en)', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await createPurpose(h.deps, {
    id: 'gids', name_nl: 'Koffiegids', name_en: 'Coffee guide', description_nl: 'Onze gids.', description_en: 'Our guide.', category: 'service',
  });
  await setPurposeItem(h.deps, 'gids', ITEM_URL);
  await createForm(h.deps, { id: 'gids-form', name: 'Gids', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }], leadMagnetPurposeId: 'gids' });
  const signUp = await h.app.inject({ method: 'POST', url: '/f/gids-form', headers: FORM_HEADERS, payload: form({ email: 'lezer@voorbeeld.nl' }) });
  assert.ok(signUp.statusCode < 400, signUp.body.slice(0, 300));
  const link = await lastConfirmPath(h.outbox);

  const first = await h.app.inject({ method: 'POST', url: link });
  assert.equal(first.statusCode, 200);
  assert.match(first.body, new RegExp(`<a href="${ITEM_URL}">Download Koffiegids nu</a>`));
  const mails = (await listOutbox(h.outbox)).length;

  for (const [lang, sent, download] of [['nl', 'Koffiegids is u per e-mail gestuurd.', 'Download Koffiegids nu'], ['en', 'Coffee guide was sent to you by e-mail.', 'Download Coffee guide now']] as const) {
    const again = await h.app.inject({ method: 'POST', url: `${link}?lang=${lang}` });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, lang === 'nl' ? /al bevestigd/ : /already confirmed/);
    assert.match(again.body, new RegExp(sent));
    assert.match(again.body, new RegExp(`<a href="${ITEM_URL}">${download}</a>`));
    const shown = await h.app.inject({ url: `${link}?lang=${lang}` });
    assert.match(shown.body, new RegExp(`<a href="${ITEM_URL}">${download}</a>`), 'opening the link again shows it too');
  }
  assert.equal((await listOutbox(h.outbox)).length, mails, 'nothing sent again');
});
