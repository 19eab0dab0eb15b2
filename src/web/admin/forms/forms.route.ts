/**
 * Handlers of the Forms pages (access in routes.ts): each validates, calls one service
 * (services/organisation/forms.ts) and redirects, or shows the form again with the guard's reason next to its field.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, issuesOf } from '../../../services/errors.js';
import { createForm, embedSnippet, getForm, listFormViews, updateForm, type FormInput } from '../../../services/organisation/forms.js';
import { listPurposeViews } from '../../../services/organisation/purposes.js';
import { checkedIn, freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { formAction, type AdminHandler } from '../handler.js';
import { formFormValues, formPage, formsPage } from './forms.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const yes = z.enum(['yes', 'no']).default('no').transform((v) => v === 'yes');
const text = z.string().trim().default('');

const fieldsSchema = z.preprocess(
  (v) => ({ ...(v as Record<string, string>), purposes: checkedIn(v as Record<string, string>, 'purposes') }),
  z.object({
    name: z.string(), purposes: z.array(z.string()), leadMagnetPurposeId: text, doubleOptIn: yes, singleOptInAcknowledged: yes,
    title_nl: text, title_en: text, intro_nl: text, intro_en: text, logoUrl: text, accentColour: text, thankYouUrl: text,
  }),
);
type Fields = z.output<typeof fieldsSchema>;

/** The service's input from the page's fields. */
function toInput(f: Fields): Omit<FormInput, 'id'> {
  const appearance = Object.fromEntries(Object.entries({ logoUrl: f.logoUrl, accentColour: f.accentColour, thankYouUrl: f.thankYouUrl }).filter(([, v]) => v));
  return {
    name: f.name,
    boxes: f.purposes.map((id) => ({ purposeIds: [id], preTicked: false, required: false })),
    leadMagnetPurposeId: f.leadMagnetPurposeId || null,
    doubleOptIn: f.doubleOptIn,
    singleOptInAcknowledged: f.singleOptInAcknowledged,
    texts: {
      nl: { title: f.title_nl, intro: f.intro_nl, labels: {} },
      en: { title: f.title_en, intro: f.intro_en, labels: {} },
    },
    appearance,
  };
}

/** A service error's fields as the page names them (`boxes[0].purposeIds` → `purposes`, `appearance.logoUrl` → `logoUrl`). */
async function onPage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof DomainError) || !err.field) throw err;
    const onPage = (f: string) => (f.startsWith('boxes') ? 'purposes' : f.replace(/^appearance\./, '').replace(/^leadMagnetRequiresConsent$/, 'leadMagnetPurposeId'));
    const issues = issuesOf(err).map((i) => ({ ...i, field: onPage(i.field) }));
    throw new DomainError(err.kind, err.message, onPage(err.field), err.code, err.params, issues);
  }
}

const list = async (a: AdminCtx, state: FormState = freshForm({ doubleOptIn: 'yes' })) =>
  formsPage(a, await listFormViews(a.deps), await listPurposeViews(a.deps), state);
const one = async (a: AdminCtx, req: FastifyRequest, state?: FormState) => {
  const f = await getForm(a.deps, idOf(req));
  return formPage(a, f, await listPurposeViews(a.deps), embedSnippet(f, a.deps.baseUrl, a.lang), state ?? freshForm(formFormValues(f)));
};

/** GET /admin/forms */
export const formsList: AdminHandler = async (a) => list(a);

/** POST /admin/forms */
export const formAdd = formAction({
  schema: z.intersection(z.object({ id: z.string().trim() }), fieldsSchema),
  run: (a, input) => onPage(() => createForm(a.deps, { id: input.id, ...toInput(input) })),
  done: (_a, r) => ({ to: `/admin/forms/${r.id}`, flash: 'forms.added' }),
  form: (a, state) => list(a, state),
});

/** GET /admin/forms/:id */
export const formShow: AdminHandler = async (a, req) => one(a, req);

/** POST /admin/forms/:id */
export const formSave = formAction({
  schema: fieldsSchema,
  run: (a, input, req) => onPage(() => updateForm(a.deps, idOf(req), toInput(input))),
  done: (_a, r) => ({ to: `/admin/forms/${r.id}`, flash: 'forms.saved' }),
  form: (a, state, req) => one(a, req, state),
});
