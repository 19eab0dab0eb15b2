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
import { confirmedAction, formAction, type AdminHandler, type Done } from '../handler.js';
import { newPurposeValues, purposeFormValues, purposePage, purposesPage } from './purposes.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const yes = z.enum(['yes', 'no']).default('no').transform((v) => v === 'yes');
const optional = z.string().trim().optional().transform((v) => v || undefined);

/** The form's strings as the service's fields; the checkbox group `bases_*` becomes `bases`. */
const fieldsSchema = z.preprocess(
  (v) => ({ ...(v as Record<string, string>), bases: checkedIn(v as Record<string, string>, 'bases') }),
  z.object({
    name_nl: z.string(), name_en: z.string(), description_nl: z.string(), description_en: z.string(),
    category: z.string(), bases: z.array(z.string()), doubleOptIn: yes, singleOptInAcknowledged: yes,
    frequency_nl: optional, frequency_en: optional, retention_nl: optional, retention_en: optional,
  }),
);

/** After a change: where to go, saying what became of the privacy notice. */
const afterChange = (to: string, notice: NoticeRevision, saved: 'purposes.added' | 'purposes.saved'): Done => ({
  to,
  flash: notice.version === null ? saved : notice.published ? 'purposes.noticePublished' : 'purposes.noticeDraft',
});

const list = async (a: AdminCtx, state: FormState = freshForm(newPurposeValues())) => purposesPage(a, await listPurposeViews(a.deps), state);
const one = async (a: AdminCtx, req: FastifyRequest, state?: FormState) => {
  const p = await getPurpose(a.deps, idOf(req));
  return purposePage(a, p, state ?? freshForm(purposeFormValues(p)));
};

/** GET /admin/purposes */
export const purposesList: AdminHandler = async (a) => list(a);

/** POST /admin/purposes */
export const purposeAdd = formAction({
  schema: z.intersection(z.object({ id: z.string().trim() }), fieldsSchema),
  run: (a, input) => createPurpose(a.deps, input as Parameters<typeof createPurpose>[1]),
  done: (_a, r) => afterChange(`/admin/purposes/${r.purpose.id}`, r.notice, 'purposes.added'),
  form: (a, state) => list(a, state),
});

/** GET /admin/purposes/:id */
export const purposeShow: AdminHandler = async (a, req) => one(a, req);

/** POST /admin/purposes/:id */
export const purposeSave = formAction({
  schema: fieldsSchema,
  run: (a, input, req) => updatePurpose(a.deps, idOf(req), input as Parameters<typeof updatePurpose>[2]),
  done: (_a, r) => afterChange(`/admin/purposes/${r.purpose.id}`, r.notice, 'purposes.saved'),
  form: (a, state, req) => one(a, req, state),
});

/** POST /admin/purposes/:id/archive, asked twice. */
export const purposeArchive: AdminHandler = async (a, req, reply) => {
  const p = await getPurpose(a.deps, idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('purposes.archive'),
    question: (c) => c.t('purposes.archiveQuestion', { name: c.lang === 'nl' ? p.name.nl : p.name.en }),
    cancel: `/admin/purposes/${p.id}`,
    run: (c) => archivePurpose(c.deps, p.id, true),
    done: () => ({ to: `/admin/purposes/${p.id}`, flash: 'purposes.archived' }),
    form: (c, state) => purposePage(c, p, { ...freshForm(purposeFormValues(p)), formError: state.formError ?? Object.values(state.errors)[0] }),
  })(a, req, reply);
};

/** POST /admin/purposes/:id/restore */
export const purposeRestore = formAction({
  schema: z.object({}),
  run: (a, _input, req) => archivePurpose(a.deps, idOf(req), false),
  done: (_a, p) => ({ to: `/admin/purposes/${p.id}`, flash: 'purposes.restored' }),
  form: (a, state, req) => one(a, req, state),
});
