// The campaign editor's content refusals, each in its own words next to its field: an image without https points to
// the Media page (not the CLI), an unknown variable or filter is named, a Liquid syntax error, a too-large body and a
// subject that is empty, too long or on two lines; in Dutch and English. The CLI's English message stays as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { DomainError } from '../../src/services/errors.js';

const FIELDS = { name: 'Nieuws', purposeId: 'tips', subject: 'Hallo', language: 'nl', format: 'markdown', body: 'Vers gebrand.', translationOf: '' };

test('campaign editor: each content refusal has its own text next to its field, nl and en', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const cases: Array<[Partial<typeof FIELDS>, 'body' | 'subject', RegExp, RegExp]> = [
    [{ body: '![logo](http://deboon.example/logo.png)' }, 'body', /^De afbeelding http:\/\/deboon\.example\/logo\.png staat op een adres zonder https\. Zet de afbeelding op de pagina Media \(\/admin\/media\)/, /Put the image on the Media page \(\/admin\/media\)/],
    [{ body: 'Hallo {{ voornaam }}' }, 'body', /^De variabele voornaam bestaat niet\. U kunt first_name/, /^The variable voornaam does not exist/],
    [{ body: 'Hallo {{ first_name | hoofdletters }}' }, 'body', /^Het filter hoofdletters bestaat niet/, /^The filter hoofdletters does not exist/],
    [{ body: 'Hallo {{ first_name ' }, 'body', /^Deze tekst kan niet worden gemaakt: er ontbreekt waarschijnlijk een sluithaak.*line 1/, /^This text cannot be made: probably a missing closing bracket/],
    [{ body: 'koffie '.repeat(30_000) }, 'body', /^Deze tekst is te lang: 210000 tekens, hoogstens 200000/, /^This text is too long: 210000 characters, at most 200000/],
    [{ subject: 'a'.repeat(251) }, 'subject', /^Het onderwerp is te lang: 251 tekens, hoogstens 250/, /^The subject is too long: 251 characters, at most 250/],
    [{ subject: '{{ "" }}' }, 'subject', /^Het onderwerp is leeg/, /^The subject is empty/],
  ];
  for (const [change, field, nl, en] of cases) {
    for (const [lang, expected] of [['nl', nl], ['en', en]] as const) {
      const res = await owner.post(`/admin/campaigns?lang=${lang}`, { ...FIELDS, ...change });
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      const error = new RegExp(`id="${field}-error">([^<]*)<`).exec(res.body);
      assert.ok(error, `an error next to ${field} for ${JSON.stringify(change).slice(0, 60)}`);
      assert.match(error[1]!, expected);
      assert.doesNotMatch(error[1]!, /consentry media add|een verkeerd geschreven variabele/);
    }
  }
  // The service keeps its English message (the CLI prints it) and adds the code.
  await assert.rejects(createCampaign(h.deps, { ...FIELDS, translationOf: undefined, language: 'nl', format: 'markdown', body: '![logo](http://deboon.example/logo.png)' }), (e: unknown) =>
    e instanceof DomainError && e.code === 'image-not-https' && /consentry media add/.test(e.message) && e.params?.url === 'http://deboon.example/logo.png');
});
