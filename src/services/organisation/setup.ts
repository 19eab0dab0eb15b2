/**
 * First set-up (`consentry init`): the organisation's identity, a first purpose, a privacy notice drafted from
 * them, and a hosted form offering the purpose. The notice is published only when it lists every GDPR art. 13
 * item (G1, G2); a form is only usable once a notice is published.
 */
import { z } from 'zod';
import { draftNotice, type MissingItem, type NoticeContent } from '../../core/notice.js';
import { missingFor } from './notice-admin.js';
import { organisationSchema, type Organisation } from '../../core/organisation.js';
import { insertForm, formById } from '../../store/forms.js';
import { addNotice } from '../../store/notices.js';
import { listPurposes } from '../../store/purposes.js';
import { insertNewPurpose, parseFields, purposeFieldsSchema, purposeIdSchema } from './purposes.js';
import { getOrganisation, putOrganisation } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, invalidFields, zodIssues } from '../errors.js';
import type { FormTexts } from '../consent/subscribe.js';

export const purposeInputSchema = purposeFieldsSchema.extend({ id: purposeIdSchema });
export type PurposeInput = z.input<typeof purposeInputSchema>;


/** The first purpose's texts that `init` and the browser set-up offer (a monthly newsletter). */
export const FIRST_PURPOSE_DEFAULTS = {
  purpose_nl: 'Nieuwsbrief',
  purpose_en: 'Newsletter',
  description_nl: 'Ons nieuws en onze aanbiedingen per e-mail.',
  description_en: 'Our news and offers by e-mail.',
  frequency_nl: 'maandelijks',
  frequency_en: 'monthly',
} as const;

/** What `init` needs beyond the organisation and purpose to publish a complete notice: the operator's statements. */
export interface NoticeAnswers {
  /** Name of the mail provider (processor) and its country. */
  mailProvider?: { name: string; country: string };
  /** The operator states that no one else (no processor, no other controller) receives the data. */
  recipients?: 'none';
  /** The operator states that no data goes to a country outside the EEA. */
  transfers?: 'none';
}

/**
 * Drafts the notice for all purposes, with the answers that a newsletter-only organisation can give by default:
 * no DPO appointed, data kept until withdrawal, and providing the address is voluntary but needed to receive the
 * newsletter. Recipients (13(1)(e)) and transfers outside the EEA (13(1)(f)) are only what the operator stated:
 * left unstated they stay missing (null), never "none", so the notice is not published claiming that no one else
 * receives the data or that it stays in the EEA.
 */
export async function draftFullNotice(deps: Data, org: Organisation, answers: NoticeAnswers = {}): Promise<NoticeContent> {
  const purposes = (await listPurposes(deps.db)).map((p) => ({
    id: p.id,
    name_nl: p.name_nl,
    name_en: p.name_en,
    basis: p.category === 'service' ? ('A6-1-b' as const) : ('A6-1-a' as const),
    retention_nl: 'Tot u zich afmeldt; daarna wissen we uw gegevens binnen een dag en bewaren we alleen een onleesbaar gemaakte code van uw adres zodat u nooit meer mail krijgt.',
    retention_en: 'Until you unsubscribe; then we erase your data within a day and keep only a keyed code of your address so that you are never mailed again.',
  }));
  const draft = draftNotice(
    org,
    purposes,
    answers.mailProvider
      ? [{ name: answers.mailProvider.name, service_nl: 'verzenden van e-mail', service_en: 'sending e-mail', country: answers.mailProvider.country }]
      : undefined,
  );
  return {
    ...draft,
    dpo: draft.dpo ?? { appointed: false },
    recipients: draft.recipients ?? answers.recipients ?? null,
    transfers: answers.transfers ?? null,
    provisionRequirement: {
      nl: 'Het opgeven van uw e-mailadres is niet verplicht, maar zonder adres kunnen wij u de nieuwsbrief niet sturen.',
      en: 'Giving your e-mail address is not required, but without it we cannot send you the newsletter.',
    },
  };
}

/**
 * Stores a notice version; publishes it only when no art. 13/14 item is missing (the same check as
 * `consentry notice missing`).
 * @returns the version and the missing items (published only when that list is empty)
 */
export async function saveNotice(
  deps: Data & Pick<Deps, 'clock'>,
  content: NoticeContent,
  opts: { publish: boolean },
): Promise<{ version: number; published: boolean; missing: MissingItem[] }> {
  const text = JSON.stringify(content);
  const missing = await missingFor(deps, { content: text });
  const publish = opts.publish && missing.length === 0;
  const now = deps.clock.now();
  const version = await addNotice(deps.db, text, publish ? now : null, now);
  return { version, published: publish, missing };
}

/** The label of a purpose's consent box, as shown and recorded as evidence (the frequency when known, G3). */
export function boxLabel(
  p: { name_nl: string; name_en: string; frequency_nl?: string | null; frequency_en?: string | null },
  lang: 'nl' | 'en',
): string {
  return lang === 'nl'
    ? `Ja, stuur mij: ${p.name_nl}${p.frequency_nl ? ` (${p.frequency_nl})` : ''}`
    : `Yes, send me: ${p.name_en}${p.frequency_en ? ` (${p.frequency_en})` : ''}`;
}

/** Default form texts for one purpose, in both languages. */
export function defaultFormTexts(org: Organisation, p: z.infer<typeof purposeInputSchema>): Record<'nl' | 'en', FormTexts> {
  return {
    nl: {
      title: `${p.name_nl} van ${org.name}`,
      intro: p.description_nl,
      labels: { [p.id]: boxLabel(p, 'nl') },
    },
    en: {
      title: `${p.name_en} from ${org.name}`,
      intro: p.description_en,
      labels: { [p.id]: boxLabel(p, 'en') },
    },
  };
}

export interface InitInput {
  organisation: Organisation;
  purpose: PurposeInput;
  formId?: string;
  notice?: NoticeAnswers;
}

/** An `InitInput` that passed `checkInitInput`. */
export interface CheckedInit {
  organisation: Organisation;
  purpose: z.infer<typeof purposeInputSchema>;
  formId: string;
  notice?: NoticeAnswers | undefined;
}

/**
 * Validates what `init` (or the browser set-up) was given, before anything is stored.
 * @throws DomainError invalid naming every field at fault (`organisation.<key>`, `purpose.<key>`)
 */
export function checkInitInput(input: InitInput): CheckedInit {
  const org = organisationSchema.safeParse(input.organisation);
  const purpose = purposeInputSchema.safeParse(input.purpose);
  if (!org.success || !purpose.success) {
    throw invalidFields([...(org.success ? [] : zodIssues(org.error, 'organisation.')), ...(purpose.success ? [] : zodIssues(purpose.error, 'purpose.'))]);
  }
  return { organisation: org.data, purpose: purpose.data, formId: input.formId ?? purpose.data.id, notice: input.notice };
}

/**
 * Sets everything up in one transaction.
 * @returns the form id, notice version and whether the notice could be published
 * @throws DomainError invalid naming the field at fault; nothing is stored then
 */
export async function initialise(deps: Data & Pick<Deps, 'clock'>, input: InitInput) {
  const checked = checkInitInput(input);
  return deps.db.transaction().execute((trx) => initialiseWithin({ db: trx, dialect: deps.dialect, clock: deps.clock }, checked));
}

/**
 * The writes of `initialise`, inside a transaction the caller holds (the browser set-up also adds the owner in it).
 * @param tx deps whose `db` is a transaction
 * @throws DomainError conflict `already-set-up`, invalid on `formId`
 */
export async function initialiseWithin(tx: Data & Pick<Deps, 'clock'>, input: CheckedInit) {
  const trx = tx.db;
  const existing = await getOrganisation(trx);
  if (existing) {
    throw new DomainError('conflict', `Consentry is set up already (for ${existing.name}); init runs once, nothing was changed`, 'organisation', 'already-set-up');
  }
  const { organisation: org, purpose, formId } = input;
  await putOrganisation(trx, org);
  await insertNewPurpose(tx, purpose.id, parseFields(purpose));
  const notice = await saveNotice(tx, await draftFullNotice(tx, org, input.notice), { publish: true });
  if (await formById(trx, formId)) throw invalid('formId', `a form "${formId}" exists already`);
  const now = tx.clock.now().toISOString();
  await insertForm(trx, {
    id: formId,
    name: purpose.name_en,
    purposes: JSON.stringify([purpose.id]),
    double_opt_in: purpose.doubleOptIn ? 1 : 0,
    texts: JSON.stringify(defaultFormTexts(org, purpose)),
    lead_magnet_purpose_id: null,
    created_at: now,
    updated_at: now,
  });
  return { formId, noticeVersion: notice.version, noticePublished: notice.published, missing: notice.missing };
}
