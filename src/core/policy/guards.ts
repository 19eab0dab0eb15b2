/**
 * Configuration-time guards: pure checks of a form, a campaign or a permission grant before it is saved,
 * published or run. Each returns a list of problems (empty when fine), each naming the field, a stable code,
 * a message in English and Dutch, and the legal source. `severity: 'warning'` flags without refusing.
 */

/** One problem found by a guard. */
export interface Problem {
  /** Path of the offending field in the draft, e.g. `boxes[1].preTicked`. */
  field: string;
  code: string;
  message_en: string;
  message_nl: string;
  source: string;
  /** 'error' refuses the action; 'warning' asks the operator to check. */
  severity: 'error' | 'warning';
}

const problem = (
  field: string,
  code: string,
  source: string,
  message_en: string,
  message_nl: string,
  severity: Problem['severity'] = 'error',
): Problem => ({ field, code, message_en, message_nl, source, severity });

/** True when any problem refuses the action (warnings do not). */
export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');

/** One consent box on a form: its purposes, whether it starts ticked, whether it must be ticked to submit. */
export interface FormBox {
  purposeIds: string[];
  preTicked: boolean;
  required: boolean;
}

/** A form as the admin app or API saves it before publishing. */
export interface FormDraft {
  formId: string;
  name: string;
  boxes: FormBox[];
  /** A service purpose the form delivers (the e-book, A3), sent whatever boxes are ticked. */
  leadMagnetPurposeId?: string | null;
  /** The lead magnet is only delivered to people who also tick a marketing box (A4: forbidden). */
  leadMagnetRequiresConsent?: boolean;
  /** Double opt-in (default on, A6). */
  doubleOptIn: boolean;
  /** The operator confirmed on purpose that this form uses single opt-in (A6). */
  singleOptInAcknowledged?: boolean;
  /** A current privacy notice is published and linked (G1). */
  noticePublished: boolean;
}

/**
 * Checks a form before publishing (A4, A5, A6, G1). Refuses:
 * - a box ticked by default (GDPR Recital 32; EDPB 05/2020 §79);
 * - a box covering more than one purpose, or none (GDPR 6(1)(a), 7(2); EDPB 05/2020 granularity);
 * - a required consent box, or a lead magnet delivered only with marketing consent (GDPR 7(4));
 * - no published privacy notice (GDPR 13, 12(1));
 * - double opt-in off without the operator's explicit acknowledgement (GDPR 7(1), 5(2)).
 * @returns problems, empty when the form may be published
 * @example checkForm({ formId: 'f1', name: 'Tips', boxes: [{ purposeIds: ['tips'], preTicked: true, required: false }],
 *   doubleOptIn: true, noticePublished: true }) // → [{ field: 'boxes[0].preTicked', code: 'FORM_PRE_TICKED', … }]
 */
export function checkForm(draft: FormDraft): Problem[] {
  const out: Problem[] = [];
  if (draft.boxes.length === 0 && !draft.leadMagnetPurposeId) {
    out.push(problem('boxes', 'FORM_NO_PURPOSE', 'GDPR 5(1)(b)',
      'The form offers no purpose: add a consent box or a lead magnet.',
      'Het formulier biedt geen doel aan: voeg een toestemmingsvakje of een weggever toe.'));
  }
  draft.boxes.forEach((box, i) => {
    if (box.preTicked) {
      out.push(problem(`boxes[${i}].preTicked`, 'FORM_PRE_TICKED', 'GDPR Recital 32; EDPB 05/2020',
        'A consent box may not be ticked in advance; the person must tick it.',
        'Een toestemmingsvakje mag niet vooraf zijn aangevinkt; de persoon vinkt het zelf aan.'));
    }
    if (box.purposeIds.length > 1) {
      out.push(problem(`boxes[${i}].purposeIds`, 'FORM_BUNDLED_PURPOSES', 'GDPR 7(2); EDPB 05/2020',
        'One box covers several purposes; give each purpose its own box (consent is per purpose).',
        'Eén vakje dekt meerdere doelen; geef elk doel een eigen vakje (toestemming is per doel).'));
    } else if (box.purposeIds.length === 0) {
      out.push(problem(`boxes[${i}].purposeIds`, 'FORM_BOX_NO_PURPOSE', 'GDPR 4(11)',
        'A consent box names no purpose; consent must be specific.',
        'Een toestemmingsvakje noemt geen doel; toestemming moet specifiek zijn.'));
    }
    if (box.required) {
      out.push(problem(`boxes[${i}].required`, 'FORM_CONSENT_REQUIRED', 'GDPR 7(4)',
        'A consent box may not be required to submit the form; consent must be freely given.',
        'Een toestemmingsvakje mag niet verplicht zijn om het formulier te versturen; toestemming moet vrij zijn.'));
    }
  });
  if (draft.leadMagnetPurposeId && draft.leadMagnetRequiresConsent) {
    out.push(problem('leadMagnetRequiresConsent', 'FORM_CONSENT_CONDITIONAL', 'GDPR 7(4)',
      'The download may not depend on accepting the newsletter: a person who declines still gets it.',
      'De download mag niet afhangen van het accepteren van de nieuwsbrief: wie weigert, krijgt hem toch.'));
  }
  if (!draft.noticePublished) {
    out.push(problem('noticePublished', 'FORM_NO_NOTICE', 'GDPR 13; GDPR 12(1)',
      'Publish a privacy notice before publishing the form; the form links to it.',
      'Publiceer eerst een privacyverklaring; het formulier verwijst ernaar.'));
  }
  if (!draft.doubleOptIn && !draft.singleOptInAcknowledged) {
    out.push(problem('doubleOptIn', 'FORM_SINGLE_OPT_IN_UNACKNOWLEDGED', 'GDPR 7(1); GDPR 5(2)',
      'Double opt-in is off: confirm that you want single opt-in (addresses are then not verified).',
      'Double opt-in staat uit: bevestig dat u single opt-in wilt (adressen worden dan niet geverifieerd).'));
  }
  return out;
}

/** A campaign as saved before sending. */
export interface CampaignDraft {
  campaignId?: string;
  /** The purpose it is sent for; null when none is chosen yet. */
  purposeId: string | null;
  /** Message category; service messages need no unsubscribe link. Default a commercial category. */
  category?: string;
  /** Sender identity: the organisation's name as shown in From and the footer. */
  senderName: string | null;
  postalAddress: string | null;
  replyTo: string | null;
  /** The body or footer contains the unsubscribe link (the composer adds one). */
  hasUnsubscribe: boolean;
  /** The content promotes another party's products or services. */
  thirdPartyContent?: boolean;
}

const EMAIL = /^[^\s@"]+@[^\s@]+\.[^\s@]{2,}$/;
const NO_REPLY = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply)([+@]|$)/i;

/**
 * Checks a campaign before it is queued (E1). Refuses: no sender identity or postal address (ePrivacy 13(4);
 * BW 3:15d(1)), no working reply address (ePrivacy 13(4): a valid address for opt-out requests), no
 * unsubscribe link in commercial mail (Tw 11.7(1); GDPR 21(2)), no purpose (GDPR 5(1)(b)). Warns about
 * third-party content, which needs consent for exactly that (Tw 11.7(1); C4).
 * @returns problems; `hasErrors(problems)` says whether the campaign must be refused
 */
export function checkCampaign(draft: CampaignDraft): Problem[] {
  const out: Problem[] = [];
  if (!draft.senderName?.trim()) {
    out.push(problem('senderName', 'CAMPAIGN_NO_SENDER', 'ePrivacy 13(4); BW 3:15e',
      'Set the sender’s identity (the organisation name).',
      'Vul de identiteit van de afzender in (de naam van de organisatie).'));
  }
  if (!draft.postalAddress?.trim()) {
    out.push(problem('postalAddress', 'CAMPAIGN_NO_POSTAL_ADDRESS', 'BW 3:15d(1); DDMA',
      'Set a postal address; it appears in every message.',
      'Vul een postadres in; het staat in elk bericht.'));
  }
  const reply = draft.replyTo?.trim() ?? '';
  if (!reply) {
    out.push(problem('replyTo', 'CAMPAIGN_NO_REPLY_ADDRESS', 'ePrivacy 13(4); Tw 11.7',
      'Set a reply address that a person reads.',
      'Vul een antwoordadres in dat iemand leest.'));
  } else if (!EMAIL.test(reply) || NO_REPLY.test(reply)) {
    out.push(problem('replyTo', 'CAMPAIGN_REPLY_NOT_WORKING', 'ePrivacy 13(4); Tw 11.7',
      'The reply address must be a working mailbox (not a no-reply address).',
      'Het antwoordadres moet een werkende mailbox zijn (geen no-reply-adres).'));
  }
  if (!draft.hasUnsubscribe && draft.category !== 'service') {
    out.push(problem('hasUnsubscribe', 'CAMPAIGN_NO_UNSUBSCRIBE', 'Tw 11.7(1); ePrivacy 13(2); GDPR 21(2)',
      'Every commercial message needs a visible unsubscribe link.',
      'Elk commercieel bericht heeft een zichtbare afmeldlink nodig.'));
  }
  if (!draft.purposeId?.trim()) {
    out.push(problem('purposeId', 'CAMPAIGN_NO_PURPOSE', 'GDPR 5(1)(b)',
      'Choose the purpose this campaign is sent for; it decides who may receive it.',
      'Kies het doel van deze campagne; dat bepaalt wie hem mag ontvangen.'));
  }
  if (draft.thirdPartyContent) {
    out.push(problem('thirdPartyContent', 'CAMPAIGN_THIRD_PARTY_CONTENT', 'Tw 11.7(1); GDPR 6(1)(a)',
      'This content promotes another party: only contacts who consented to exactly that may receive it.',
      'Deze inhoud maakt reclame voor een ander: alleen wie daar precies voor toestemming gaf, mag hem krijgen.',
      'warning'));
  }
  return out;
}

/** A request to add contacts to a purpose by a bulk action, an automation, the API or an import (A8). */
export interface PermissionGrantInput {
  targetPurposeId: string;
  via: 'bulk_action' | 'automation' | 'api' | 'import';
  /** For each contact, the purposes for which a consent event (evidence) exists. */
  contacts: { contactId: string; purposesWithConsent: readonly string[] }[];
}

/**
 * Refuses adding a contact to a purpose unless a consent event for that very purpose exists for it: consent
 * is per purpose and must be provable (GDPR 6(1)(a), 7(1); EDPB 05/2020). An automation may only segment
 * within purposes the person consented to (A8).
 * @returns one problem per contact without such evidence, field `contacts[i]`
 * @example checkPermissionGrant({ targetPurposeId: 'b', via: 'bulk_action',
 *   contacts: [{ contactId: 'c1', purposesWithConsent: ['a'] }] }) // → [{ field: 'contacts[0]', code: 'GRANT_NO_CONSENT_EVENT', … }]
 */
export function checkPermissionGrant(input: PermissionGrantInput): Problem[] {
  const out: Problem[] = [];
  input.contacts.forEach((c, i) => {
    if (c.purposesWithConsent.includes(input.targetPurposeId)) return;
    out.push(problem(`contacts[${i}]`, 'GRANT_NO_CONSENT_EVENT', 'GDPR 6(1)(a); GDPR 7(1); EDPB 05/2020',
      `Contact ${c.contactId} has no consent for purpose ${input.targetPurposeId}; only their own opt-in can add them.`,
      `Contact ${c.contactId} heeft geen toestemming voor doel ${input.targetPurposeId}; alleen een eigen aanmelding voegt hem toe.`));
  });
  return out;
}
