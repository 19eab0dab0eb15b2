/**
 * Creating a sign-up form behind the configuration guard `checkForm` (SCENARIOS A4, A5, A6, G1): no pre-ticked
 * box (Recital 32), one purpose per box (GDPR 7(2)), no required consent box and no lead magnet conditional on
 * marketing consent (GDPR 7(4)), double opt-in unless the operator switched it off on purpose, and a published
 * privacy notice (GDPR 13). A refused form is not stored.
 */
import { checkForm, hasErrors, type FormBox, type Problem } from '../../core/policy/guards.js';
import { formById, insertForm } from '../../store/forms.js';
import { currentNotice } from '../../store/notices.js';
import { purposeById } from '../../store/purposes.js';
import type { Data, Deps } from '../deps.js';
import { invalid } from '../errors.js';
import type { FormTexts } from '../consent/subscribe.js';
import { boxLabel } from './setup.js';

export interface FormInput {
  id: string;
  name: string;
  /** One box per purpose, unticked and optional (the guard refuses anything else). */
  boxes: FormBox[];
  /** A service purpose delivered to everyone who submits (the e-book, A3). */
  leadMagnetPurposeId?: string | null;
  /** The lead magnet only for people who also tick a marketing box: refused (A4). */
  leadMagnetRequiresConsent?: boolean;
  /** Default true (A6). */
  doubleOptIn?: boolean;
  /** Required to switch double opt-in off: the operator chooses single opt-in on purpose (A6). */
  singleOptInAcknowledged?: boolean;
  /** Texts per language; box labels default to the purpose names. */
  texts?: Partial<Record<'nl' | 'en', FormTexts>>;
}

/**
 * Creates a form.
 * @returns the form id and the guard's warnings
 * @throws DomainError invalid naming the field of the first refusal, e.g. `boxes[0].preTicked` with code
 *   FORM_PRE_TICKED, `leadMagnetRequiresConsent` (FORM_CONSENT_CONDITIONAL), `noticePublished` (FORM_NO_NOTICE),
 *   `boxes[1].purposeIds` for an unknown purpose, `id` when the id is taken; nothing is stored then
 * @example createForm(deps, { id: 'ebook', name: 'E-book', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }],
 *   leadMagnetPurposeId: 'ebook' })
 */
export async function createForm(deps: Data & Pick<Deps, 'clock'>, input: FormInput): Promise<{ id: string; warnings: Problem[] }> {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(input.id ?? '')) throw invalid('id', 'id: use lower-case letters, digits and dashes');
  if (!input.name?.trim()) throw invalid('name', 'name: the form needs a name');
  if (!Array.isArray(input.boxes) || input.boxes.length === 0) throw invalid('boxes', 'boxes: the form needs at least one box');
  const doubleOptIn = input.doubleOptIn ?? true;
  const notice = await currentNotice(deps.db);
  const problems = checkForm({
    formId: input.id,
    name: input.name,
    boxes: input.boxes,
    leadMagnetPurposeId: input.leadMagnetPurposeId ?? null,
    leadMagnetRequiresConsent: input.leadMagnetRequiresConsent ?? false,
    doubleOptIn,
    singleOptInAcknowledged: input.singleOptInAcknowledged ?? false,
    noticePublished: notice !== undefined,
  });
  if (hasErrors(problems)) {
    const p = problems.find((x) => x.severity === 'error')!;
    throw invalid(p.field, `${p.field}: ${p.message_en} [${p.source}]`, p.code);
  }
  const ids = input.boxes.map((b) => b.purposeIds[0]!);
  const purposes: Record<string, Parameters<typeof boxLabel>[0]> = {};
  for (const [i, id] of [...ids, ...(input.leadMagnetPurposeId ? [input.leadMagnetPurposeId] : [])].entries()) {
    const p = await purposeById(deps.db, id);
    if (!p) throw invalid(i < ids.length ? `boxes[${i}].purposeIds` : 'leadMagnetPurposeId', `there is no purpose "${id}"`, 'unknown-purpose');
    purposes[id] = p;
  }
  if (await formById(deps.db, input.id)) throw invalid('id', `id: a form "${input.id}" exists already`);
  const texts = {
    nl: input.texts?.nl ?? { title: input.name, intro: '', labels: Object.fromEntries(ids.map((id) => [id, boxLabel(purposes[id]!, 'nl')])) },
    en: input.texts?.en ?? { title: input.name, intro: '', labels: Object.fromEntries(ids.map((id) => [id, boxLabel(purposes[id]!, 'en')])) },
  };
  const now = deps.clock.now().toISOString();
  await insertForm(deps.db, {
    id: input.id,
    name: input.name,
    purposes: JSON.stringify(ids),
    double_opt_in: doubleOptIn ? 1 : 0,
    texts: JSON.stringify(texts),
    lead_magnet_purpose_id: input.leadMagnetPurposeId ?? null,
    created_at: now,
    updated_at: now,
  });
  return { id: input.id, warnings: problems };
}
