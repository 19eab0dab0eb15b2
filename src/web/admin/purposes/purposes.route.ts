/**
 * Handlers of the Purposes pages (access in routes.ts): each validates, calls one service
 * (services/organisation/purposes.ts) and redirects, or shows the form again with the guard's reason next to the
 * field it is about.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { archivePurpose, createPurpose, getPurpose, listPurposeViews, updatePurpose } from '../../../services/organisation/purposes.js';
import type { NoticeRevision } from '../../../services/organisation/notice-admin.js';
import { checkedIn, freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { isLanguage, type Language } from '../../../core/vocab.js';
import { previewWelcomeMail, purposeMail, setPurposeItem, setWelcomeMail } from '../../../services/consent/welcome.js';
import { DomainError, notFound, type FieldIssue } from '../../../services/errors.js';
import { ACCEPTED_BASES, isPurposeCategory } from '../../../core/policy/purpose-guard.js';
import { listMedia } from '../../../services/organisation/media.js';
import { framesPreview, previewMessage, previewWidth, sendPreview } from '../components/preview.js';
import { confirmedAction, domainMessage, formAction, formValues, type AdminHandler, type Done } from '../handler.js';
import { newPurposeValues, purposeFormValues, purposePage, purposesPage, welcomeFormValues, type PurposeStates } from './purposes.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const yes = z.enum(['yes', 'no']).default('no').transform((v) => v === 'yes');
const optional = z.string().trim().optional().transform((v) => v || undefined);

/**
 * The ticked bases as the service's `bases`. On the add form, boxes left as they were shown (`basesShown`) are no
 * choice: they become none, so that the service takes the chosen kind's usual basis (a new service purpose
 * rests on the contract, not on the consent the newsletter default ticks).
 */
function chosenBases(v: Record<string, string>): string[] {
  const ticked = checkedIn(v, 'bases');
  if (v.basesShown === undefined) return ticked;
  const shown = v.basesShown.split(' ').filter(Boolean);
  return shown.length === ticked.length && shown.every((b) => ticked.includes(b)) ? [] : ticked;
}

/** The form's strings as the service's fields; the checkbox group `bases_*` becomes `bases`. */
const fieldsSchema = z.preprocess(
  (v) => ({ ...(v as Record<string, string>), bases: chosenBases(v as Record<string, string>) }),
  z.object({
    name_nl: z.string(), name_en: z.string(), description_nl: z.string(), description_en: z.string(),
    category: z.string(), bases: z.array(z.string()), doubleOptIn: yes, singleOptInAcknowledged: yes,
    frequency_nl: optional, frequency_en: optional, retention_nl: optional, retention_en: optional,
  }),
);

/**
 * Runs a purpose service; a refused basis names the chosen kind and the bases it accepts (the guard's code says
 * only that the basis does not fit).
 */
async function namingKind<T>(a: AdminCtx, category: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof DomainError) || !isPurposeCategory(category)) throw err;
    const params = { kind: a.t(`category.${category}`), accepted: ACCEPTED_BASES[category].map((b) => a.t(`basis.${b}`)).join(a.t('purposes.basesOr')) };
    const named = (i: FieldIssue): FieldIssue => (i.code === 'PURPOSE_BASIS_NOT_ACCEPTED' ? { ...i, params } : i);
    const own = named({ field: err.field ?? '', message: err.message, code: err.code, params: err.params });
    throw new DomainError(err.kind, err.message, err.field, err.code, own.params, err.issues?.map(named));
  }
}

/** After a change: where to go, saying what became of the privacy notice. */
const afterChange = (to: string, notice: NoticeRevision, saved: 'purposes.added' | 'purposes.saved'): Done => ({
  to,
  flash: notice.version === null ? saved : notice.published ? 'purposes.noticePublished' : 'purposes.noticeDraft',
});

const list = async (a: AdminCtx, state: FormState = freshForm(newPurposeValues())) => purposesPage(a, await listPurposeViews(a.deps), state);
const one = async (a: AdminCtx, req: FastifyRequest, states: PurposeStates = {}) => {
  const purpose = await getPurpose(a.deps, idOf(req));
  const { welcome, itemUrl } = await purposeMail(a.deps, purpose.id);
  const media = a.mediaDir ? await listMedia({ ...a.deps, mediaDir: a.mediaDir }) : null;
  return purposePage(a, { purpose, welcome, itemUrl, media, width: previewWidth(req.query) }, states);
};

/** The welcome mail's language from the path; another is not found. */
function langOf(req: FastifyRequest): Language {
  const lang = (req.params as { lang: string }).lang;
  if (!isLanguage(lang)) throw notFound(`there is no language "${lang}"`);
  return lang;
}

/** Runs a welcome service, naming its error's field as the page's form does (`subject` → `subject_nl`). */
async function inLanguage<T>(lang: Language, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof DomainError) || (err.field !== 'subject' && err.field !== 'body')) throw err;
    throw new DomainError(err.kind, err.message, `${err.field}_${lang}`, err.code, err.params);
  }
}

/** GET /admin/purposes */
export const purposesList: AdminHandler = async (a) => list(a);

/** POST /admin/purposes */
export const purposeAdd = formAction({
  schema: z.intersection(z.object({ id: z.string().trim() }), fieldsSchema),
  run: (a, input) => namingKind(a, input.category, () => createPurpose(a.deps, input as Parameters<typeof createPurpose>[1])),
  done: (_a, r) => afterChange(`/admin/purposes/${r.purpose.id}`, r.notice, 'purposes.added'),
  form: (a, state) => list(a, state),
});

/** GET /admin/purposes/:id */
export const purposeShow: AdminHandler = framesPreview(async (a, req) => one(a, req));

/** POST /admin/purposes/:id */
export const purposeSave = framesPreview(formAction({
  schema: fieldsSchema,
  run: (a, input, req) => namingKind(a, input.category, () => updatePurpose(a.deps, idOf(req), input as Parameters<typeof updatePurpose>[2])),
  done: (_a, r) => afterChange(`/admin/purposes/${r.purpose.id}`, r.notice, 'purposes.saved'),
  form: (a, state, req) => one(a, req, { purpose: state }),
}));

/** GET /admin/purposes/:id/archive asks, POST does it. */
export const purposeArchive: AdminHandler = framesPreview(async (a, req, reply) => {
  const p = await getPurpose(a.deps, idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('purposes.archive'),
    question: (c) => c.t('purposes.archiveQuestion', { name: c.lang === 'nl' ? p.name.nl : p.name.en }),
    cancel: `/admin/purposes/${p.id}`,
    run: (c) => archivePurpose(c.deps, p.id, true),
    done: () => ({ to: `/admin/purposes/${p.id}`, flash: 'purposes.archived' }),
    form: (c, state) => one(c, req, { purpose: { ...freshForm(purposeFormValues(p)), formError: state.formError ?? Object.values(state.errors)[0] } }),
  })(a, req, reply);
});

/** POST /admin/purposes/:id/restore */
export const purposeRestore = framesPreview(formAction({
  schema: z.object({}),
  run: (a, _input, req) => archivePurpose(a.deps, idOf(req), false),
  done: (_a, p) => ({ to: `/admin/purposes/${p.id}`, flash: 'purposes.restored' }),
  form: (a, state, req) => one(a, req, { purpose: state }),
}));

/** POST /admin/purposes/:id/welcome/:lang: sets the welcome mail in one language (subject_<lang>, body_<lang>). */
export const purposeWelcomeSave: AdminHandler = framesPreview(async (a, req, reply) => {
  const lang = langOf(req);
  return formAction({
    schema: z.object({ [`subject_${lang}`]: z.string().trim().min(1).max(250), [`body_${lang}`]: z.string().refine((v) => v.trim() !== '', 'required') }),
    run: (c, input) => inLanguage(lang, () => setWelcomeMail(c.deps, idOf(req), { language: lang, subject: String(input[`subject_${lang}`]), body: String(input[`body_${lang}`]) })),
    done: () => ({ to: `/admin/purposes/${idOf(req)}#welcome-${lang}`, flash: 'purposes.welcomeSaved' }),
    form: (c, state) => one(c, req, { [`welcome_${lang}`]: state }),
  })(a, req, reply);
});

/** GET /admin/purposes/:id/welcome/:lang/remove asks, POST does it. */
export const purposeWelcomeRemove: AdminHandler = framesPreview(async (a, req, reply) => {
  const lang = langOf(req);
  const p = await getPurpose(a.deps, idOf(req));
  const { welcome } = await purposeMail(a.deps, p.id);
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('purposes.welcomeRemove'),
    question: (c) => c.t('purposes.welcomeRemoveQuestion', { name: c.lang === 'nl' ? p.name.nl : p.name.en, language: c.t(`purposes.welcomeLang.${lang}`) }),
    cancel: `/admin/purposes/${p.id}#welcome`,
    run: (c) => setWelcomeMail(c.deps, p.id, { off: true, language: lang }),
    done: () => ({ to: `/admin/purposes/${p.id}#welcome`, flash: 'purposes.welcomeRemoved' }),
    form: (c, state) => one(c, req, { [`welcome_${lang}`]: { ...freshForm(welcomeFormValues(welcome, lang)), formError: state.formError ?? Object.values(state.errors)[0] } }),
  })(a, req, reply);
});

/** GET /admin/purposes/:id/welcome/:lang/preview.html: the saved welcome mail in the preview frame. */
export const purposeWelcomePreviewHtml: AdminHandler = async (a, req, reply) => {
  const lang = langOf(req);
  const message = await previewWelcomeMail(a.deps, idOf(req), { language: lang });
  return message ? sendPreview(reply, message.html ?? '') : sendPreview(reply, previewMessage(a, a.t('purposes.welcomeNone')), 404);
};

/**
 * POST /admin/purposes/:id/welcome/:lang/preview: the welcome form as typed (not saved) in the preview frame;
 * stores nothing and is not logged. A text that does not compile shows the reason in the frame.
 */
export const purposeWelcomePreview: AdminHandler = async (a, req, reply) => {
  const lang = langOf(req);
  const f = formValues(req.body);
  try {
    const message = await previewWelcomeMail(a.deps, idOf(req), { language: lang, draft: { subject: f[`subject_${lang}`] ?? '', body: f[`body_${lang}`] ?? '' } });
    return sendPreview(reply, message?.html ?? '');
  } catch (err) {
    if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
    return sendPreview(reply, previewMessage(a, a.t('preview.error', { message: domainMessage(a, err) })), 400);
  }
};

/** POST /admin/purposes/:id/item: the item a download/service purpose delivers: an uploaded file, an https address, or none. */
export const purposeItemSave = framesPreview(formAction({
  schema: z
    .object({ item: z.string().trim().default(''), itemUrl: z.string().trim().default('') })
    .refine((v) => v.item !== 'url' || v.itemUrl !== '', { path: ['itemUrl'], message: 'required' }),
  run: async (a, input, req) => {
    const url = input.item === '' ? null : input.item === 'url' ? input.itemUrl : input.item;
    try {
      await setPurposeItem(a.deps, idOf(req), url);
      return idOf(req);
    } catch (err) {
      if (!(err instanceof DomainError) || err.field !== 'url') throw err;
      throw new DomainError(err.kind, err.message, input.item === 'url' ? 'itemUrl' : 'item', err.code, err.params);
    }
  },
  // To the top, where the notice is (the form's own #delivered-item would scroll past it).
  done: (_a, id) => ({ to: `/admin/purposes/${id}#main`, flash: 'purposes.itemSaved' }),
  form: (a, state, req) => one(a, req, { item: state }),
}));
