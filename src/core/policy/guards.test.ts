/** Table-driven tests of the configuration-time guards (A4, A5, A6, A8, E1, G1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCampaign,
  checkForm,
  checkPermissionGrant,
  hasErrors,
  type CampaignDraft,
  type FormDraft,
  type Problem,
} from './guards.js';

const FORM: FormDraft = {
  formId: 'f1',
  name: 'Tips en e-book',
  boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }],
  leadMagnetPurposeId: 'ebook',
  leadMagnetRequiresConsent: false,
  doubleOptIn: true,
  noticePublished: true,
};

const CAMPAIGN: CampaignDraft = {
  purposeId: 'tips',
  category: 'purpose_marketing',
  senderName: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  replyTo: 'hallo@deboon.nl',
  hasUnsubscribe: true,
};

const codes = (ps: Problem[]): string[] => ps.map((p) => p.code);

const formCases: { name: string; draft: FormDraft; codes: string[]; field?: string }[] = [
  { name: 'a well-made form passes', draft: FORM, codes: [] },
  { name: 'A5 pre-ticked box is refused', draft: { ...FORM, boxes: [{ purposeIds: ['tips'], preTicked: true, required: false }] }, codes: ['FORM_PRE_TICKED'], field: 'boxes[0].preTicked' },
  { name: 'A2 one box for two newsletters is refused', draft: { ...FORM, boxes: [{ purposeIds: ['tips', 'offers'], preTicked: false, required: false }] }, codes: ['FORM_BUNDLED_PURPOSES'], field: 'boxes[0].purposeIds' },
  { name: 'a box with no purpose is refused', draft: { ...FORM, boxes: [{ purposeIds: [], preTicked: false, required: false }] }, codes: ['FORM_BOX_NO_PURPOSE'] },
  { name: 'A4 a required newsletter box is refused', draft: { ...FORM, boxes: [{ purposeIds: ['tips'], preTicked: false, required: true }] }, codes: ['FORM_CONSENT_REQUIRED'], field: 'boxes[0].required' },
  { name: 'A4 e-book only for newsletter subscribers is refused', draft: { ...FORM, leadMagnetRequiresConsent: true }, codes: ['FORM_CONSENT_CONDITIONAL'], field: 'leadMagnetRequiresConsent' },
  { name: 'G1 no published privacy notice is refused', draft: { ...FORM, noticePublished: false }, codes: ['FORM_NO_NOTICE'] },
  { name: 'A6 single opt-in without acknowledgement is refused', draft: { ...FORM, doubleOptIn: false }, codes: ['FORM_SINGLE_OPT_IN_UNACKNOWLEDGED'], field: 'doubleOptIn' },
  { name: 'A6 deliberate single opt-in passes', draft: { ...FORM, doubleOptIn: false, singleOptInAcknowledged: true }, codes: [] },
  { name: 'a form with nothing to offer is refused', draft: { ...FORM, boxes: [], leadMagnetPurposeId: null }, codes: ['FORM_NO_PURPOSE'] },
  { name: 'A3 e-book-only form passes', draft: { ...FORM, boxes: [] }, codes: [] },
  {
    name: 'several problems are all listed',
    draft: { ...FORM, boxes: [{ purposeIds: ['a', 'b'], preTicked: true, required: true }], noticePublished: false },
    codes: ['FORM_PRE_TICKED', 'FORM_BUNDLED_PURPOSES', 'FORM_CONSENT_REQUIRED', 'FORM_NO_NOTICE'],
  },
];

for (const c of formCases) {
  test(`checkForm: ${c.name}`, () => {
    const ps = checkForm(c.draft);
    assert.deepEqual(codes(ps), c.codes);
    if (c.field) assert.equal(ps[0]?.field, c.field);
    assert.equal(hasErrors(ps), c.codes.length > 0);
  });
}

const campaignCases: { name: string; draft: CampaignDraft; codes: string[]; refused: boolean }[] = [
  { name: 'E1 a complete campaign passes', draft: CAMPAIGN, codes: [], refused: false },
  { name: 'E1 no sender identity', draft: { ...CAMPAIGN, senderName: '  ' }, codes: ['CAMPAIGN_NO_SENDER'], refused: true },
  { name: 'E1 no postal address', draft: { ...CAMPAIGN, postalAddress: null }, codes: ['CAMPAIGN_NO_POSTAL_ADDRESS'], refused: true },
  { name: 'E1 no reply address', draft: { ...CAMPAIGN, replyTo: '' }, codes: ['CAMPAIGN_NO_REPLY_ADDRESS'], refused: true },
  { name: 'E1 a no-reply address does not work', draft: { ...CAMPAIGN, replyTo: 'no-reply@deboon.nl' }, codes: ['CAMPAIGN_REPLY_NOT_WORKING'], refused: true },
  { name: 'E1 a malformed reply address', draft: { ...CAMPAIGN, replyTo: 'hallo@' }, codes: ['CAMPAIGN_REPLY_NOT_WORKING'], refused: true },
  { name: 'E1 no unsubscribe link', draft: { ...CAMPAIGN, hasUnsubscribe: false }, codes: ['CAMPAIGN_NO_UNSUBSCRIBE'], refused: true },
  { name: 'C1 a service message needs no unsubscribe link', draft: { ...CAMPAIGN, category: 'service', hasUnsubscribe: false }, codes: [], refused: false },
  { name: 'no purpose', draft: { ...CAMPAIGN, purposeId: null }, codes: ['CAMPAIGN_NO_PURPOSE'], refused: true },
  { name: 'C4 third-party content is a warning only', draft: { ...CAMPAIGN, thirdPartyContent: true }, codes: ['CAMPAIGN_THIRD_PARTY_CONTENT'], refused: false },
];

for (const c of campaignCases) {
  test(`checkCampaign: ${c.name}`, () => {
    const ps = checkCampaign(c.draft);
    assert.deepEqual(codes(ps), c.codes);
    assert.equal(hasErrors(ps), c.refused);
  });
}

test('A8 checkPermissionGrant: adding newsletter-A subscribers to B is refused per contact', () => {
  const ps = checkPermissionGrant({
    targetPurposeId: 'b',
    via: 'bulk_action',
    contacts: [
      { contactId: 'c1', purposesWithConsent: ['a'] },
      { contactId: 'c2', purposesWithConsent: ['a', 'b'] },
      { contactId: 'c3', purposesWithConsent: [] },
    ],
  });
  assert.deepEqual(ps.map((p) => [p.field, p.code]), [['contacts[0]', 'GRANT_NO_CONSENT_EVENT'], ['contacts[2]', 'GRANT_NO_CONSENT_EVENT']]);
  assert.match(ps[0]?.source ?? '', /GDPR 6\(1\)\(a\)/);
});

test('A8 checkPermissionGrant: contacts with consent for the target pass', () => {
  assert.deepEqual(checkPermissionGrant({ targetPurposeId: 'a', via: 'automation', contacts: [{ contactId: 'c1', purposesWithConsent: ['a'] }] }), []);
});

test('every problem has both languages and a source', () => {
  const all = [
    ...checkForm({ ...FORM, boxes: [{ purposeIds: [], preTicked: true, required: true }, { purposeIds: ['a', 'b'], preTicked: false, required: false }], leadMagnetRequiresConsent: true, doubleOptIn: false, noticePublished: false }),
    ...checkForm({ ...FORM, boxes: [], leadMagnetPurposeId: null }),
    ...checkCampaign({ purposeId: null, senderName: null, postalAddress: null, replyTo: null, hasUnsubscribe: false, thirdPartyContent: true }),
    ...checkCampaign({ ...CAMPAIGN, replyTo: 'noreply@x.nl' }),
    ...checkPermissionGrant({ targetPurposeId: 'b', via: 'api', contacts: [{ contactId: 'c', purposesWithConsent: [] }] }),
  ];
  assert.ok(all.length >= 14);
  for (const p of all) {
    assert.ok(p.message_en && p.message_nl && p.source && p.field, p.code);
    assert.notEqual(p.message_en, p.message_nl);
  }
});
