/**
 * Sign-up forms, created and changed behind the configuration guard `checkForm` (SCENARIOS A4, A5, A6, G1): no
 * pre-ticked box (Recital 32), one purpose per box (GDPR 7(2)), no required consent box and no lead magnet
 * conditional on marketing consent (GDPR 7(4)), double opt-in unless the operator switched it off on purpose, and a
 * published privacy notice (GDPR 13). A refused form is not stored, and a refused change leaves the form as it was.
 * The same use cases serve the admin app, the CLI and the JSON API.
 */
import { z } from 'zod';
import { checkForm, type FormBox, type Problem } from '../../core/policy/guards.js';
import { formById, insertForm, listForms, updateFormRow } from '../../store/forms.js';
import { currentNotice } from '../../store/notices.js';
import { purposeById } from '../../store/purposes.js';
import type { FormRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { invalidFields, notFound, zodIssues, type FieldIssue } from '../errors.js';
import type { FormTexts } from '../consent/subscribe.js';
import { boxLabel } from './setup.js';

/** How a hosted form looks and where it leads after a sign-up. */
export const formAppearanceSchema = z.object({
  /** https URL of a logo shown above the form. */
  logoUrl: z.url({ protocol: /^https$/, error: 'the logo must be an https:// URL' }).optional(),
  /** Accent colour of buttons and links, #rrggbb. */
  accentColour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour such as #1f6feb').optional(),
  /** https page to send people to after they signed up (instead of our own "check your mail" page). */
  thankYouUrl: z.url({ protocol: /^https$/, error: 'the thank-you page must be an https:// URL' }).optional(),
});
export type FormAppearance = z.infer<typeof formAppearanceSchema>;

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
  appearance?: FormAppearance;
}

/** A form as pages, the CLI and the API show it. */
export interface FormView {
  id: string;
  name: string;
  purposeIds: string[];
  leadMagnetPurposeId: string | null;
  doubleOptIn: boolean;
  texts: Record<'nl' | 'en', FormTexts>;
  appearance: FormAppearance;
  /** The hosted page, e.g. https://news.example.nl/f/tips. */
  url: string;
  createdAt: string;
  updatedAt: string;
}

const toView = (row: FormRow, baseUrl: string): FormView => ({
  id: row.id,
  name: row.name,
  purposeIds: JSON.parse(row.purposes) as string[],
  leadMagnetPurposeId: row.lead_magnet_purpose_id,
  doubleOptIn: row.double_opt_in === 1,
  texts: JSON.parse(row.texts) as Record<'nl' | 'en', FormTexts>,
  appearance: JSON.parse(row.appearance) as FormAppearance,
  url: `${baseUrl}/f/${row.id}`,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Every form. */
export async function listFormViews(deps: Data & Pick<Deps, 'baseUrl'>): Promise<FormView[]> {
  return (await listForms(deps.db)).map((r) => toView(r, deps.baseUrl));
}

/** One form. @throws DomainError not_found */
export async function getForm(deps: Data & Pick<Deps, 'baseUrl'>, id: string): Promise<FormView> {
  const row = await formById(deps.db, id);
  if (!row) throw notFound(`there is no form "${id}"`, 'unknown-form');
  return toView(row, deps.baseUrl);
}

/**
 * Checks a form as it would be stored and builds its row's content. Every field is checked before refusing, so
 * a page shows all its errors at once.
 * @param issues refusals the caller found already (the id's), refused together with these
 * @throws DomainError invalid naming every field at fault (`invalidFields`)
 */
async function checkedForm(deps: Data, input: FormInput, issues: FieldIssue[] = []): Promise<{ row: Omit<FormRow, 'id' | 'created_at' | 'updated_at'>; warnings: Problem[] }> {
  if (!input.name?.trim()) issues.push({ field: 'name', message: 'name: the form needs a name', code: 'required' });
  const hasBoxes = Array.isArray(input.boxes) && input.boxes.length > 0;
  if (!hasBoxes) issues.push({ field: 'boxes', message: 'boxes: the form needs at least one box', code: 'FORM_NO_PURPOSE' });
  const appearance = formAppearanceSchema.safeParse(input.appearance ?? {});
  if (!appearance.success) issues.push(...zodIssues(appearance.error, 'appearance.'));
  if (!hasBoxes) throw invalidFields(issues);
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
  for (const p of problems) if (p.severity === 'error') issues.push({ field: p.field, message: `${p.field}: ${p.message_en} [${p.source}]`, code: p.code });
  const ids = input.boxes.map((b) => b.purposeIds[0]!);
  const purposes: Record<string, Parameters<typeof boxLabel>[0]> = {};
  for (const [i, id] of [...ids, ...(input.leadMagnetPurposeId ? [input.leadMagnetPurposeId] : [])].entries()) {
    const p = await purposeById(deps.db, id);
    const field = i < ids.length ? `boxes[${i}].purposeIds` : 'leadMagnetPurposeId';
    if (!p) issues.push({ field, message: `there is no purpose "${id}"`, code: 'unknown-purpose' });
    else if (p.archived_at) issues.push({ field, message: `purpose "${id}" is archived; a form cannot offer it`, code: 'archived-purpose' });
    // The requested item rests on the request (GDPR 6(1)(b)), so only a purpose of the service kind can be it; a
    // newsletter purpose here would put a contract basis on a mailing (SCENARIOS A3).
    else if (field === 'leadMagnetPurposeId' && p.category !== 'service') {
      issues.push({ field, message: `${field}: purpose "${id}" is not of the service kind; the item delivered on request must be a service purpose [GDPR 6(1)(b)]`, code: 'lead-magnet-not-service' });
    } else purposes[id] = p;
  }
  if (issues.length > 0 || !appearance.success) throw invalidFields(issues);
  const texts = Object.fromEntries(
    (['nl', 'en'] as const).map((lang) => {
      const given = input.texts?.[lang];
      const labels = Object.fromEntries(ids.map((id) => [id, given?.labels?.[id]?.trim() || boxLabel(purposes[id]!, lang)]));
      return [lang, { title: given?.title?.trim() || input.name, intro: given?.intro?.trim() ?? '', labels }];
    }),
  );
  return {
    row: {
      name: input.name.trim(),
      purposes: JSON.stringify(ids),
      double_opt_in: doubleOptIn ? 1 : 0,
      texts: JSON.stringify(texts),
      lead_magnet_purpose_id: input.leadMagnetPurposeId ?? null,
      appearance: JSON.stringify(appearance.data),
    },
    warnings: problems,
  };
}

/**
 * Creates a form.
 * @returns the form id and the guard's warnings
 * @throws DomainError invalid naming the field of the first refusal, e.g. `boxes[0].preTicked` with code
 *   FORM_PRE_TICKED, `leadMagnetRequiresConsent` (FORM_CONSENT_CONDITIONAL), `noticePublished` (FORM_NO_NOTICE),
 *   `boxes[1].purposeIds` for an unknown or archived purpose, `appearance.thankYouUrl` when not https, `id` when
 *   the id is taken; nothing is stored then
 * @example createForm(deps, { id: 'ebook', name: 'E-book', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }],
 *   leadMagnetPurposeId: 'ebook' })
 */
export async function createForm(deps: Data & Pick<Deps, 'clock'>, input: FormInput): Promise<{ id: string; warnings: Problem[] }> {
  const issues: FieldIssue[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(input.id ?? '')) issues.push({ field: 'id', message: 'id: use lower-case letters, digits and dashes', code: 'invalid-id' });
  else if (await formById(deps.db, input.id)) issues.push({ field: 'id', message: `id: a form "${input.id}" exists already`, code: 'form-exists' });
  const { row, warnings } = await checkedForm(deps, input, issues);
  const now = deps.clock.now().toISOString();
  await insertForm(deps.db, { ...row, id: input.id, created_at: now, updated_at: now });
  return { id: input.id, warnings };
}

/**
 * Changes a form: the same checks as `createForm`; the id (its address) stays. Consent events keep the texts
 * that were shown when they were given, so changing the texts changes nothing already recorded.
 * @throws DomainError not_found; invalid as `createForm`
 */
export async function updateForm(deps: Data & Pick<Deps, 'clock'>, id: string, input: Omit<FormInput, 'id'>): Promise<{ id: string; warnings: Problem[] }> {
  if (!(await formById(deps.db, id))) throw notFound(`there is no form "${id}"`, 'unknown-form');
  const { row, warnings } = await checkedForm(deps, { ...input, id });
  await updateFormRow(deps.db, id, { ...row, updated_at: deps.clock.now().toISOString() });
  return { id, warnings };
}

/**
 * A plain HTML form that posts to the hosted endpoint and works on any website (no script): one unticked box per
 * purpose and the link to the privacy notice, as the hosted page has them (G1).
 */
export function embedSnippet(form: FormView, baseUrl: string, lang: 'nl' | 'en'): string {
  const t = form.texts[lang];
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const boxes = form.purposeIds
    .map((id) => `  <label><input type="checkbox" name="purposes" value="${esc(id)}"> ${esc(t.labels[id] ?? id)}</label><br>`)
    .join('\n');
  return [
    `<form method="post" action="${esc(`${baseUrl}/f/${form.id}?lang=${lang}`)}">`,
    `  <label>${lang === 'nl' ? 'E-mailadres' : 'E-mail address'} <input type="email" name="email" required></label><br>`,
    boxes,
    `  <p><a href="${esc(`${baseUrl}/privacy?lang=${lang}`)}">${lang === 'nl' ? 'Privacyverklaring' : 'Privacy notice'}</a></p>`,
    `  <button type="submit">${lang === 'nl' ? 'Aanmelden' : 'Subscribe'}</button>`,
    `</form>`,
  ].join('\n');
}
