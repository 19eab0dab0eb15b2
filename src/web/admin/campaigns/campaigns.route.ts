/**
 * Handlers of the campaign writing pages (access in routes.ts): list, new, edit while a draft, the preview's HTML,
 * a test send to the signed-in person's own address, duplicate and delete. Each validates, calls one service
 * (services/campaigns/) and redirects, or shows the form again with the service's reason next to the field.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allowedSample, campaignInputOf, createCampaign, loadCampaign, previewCampaign, validateCampaign } from '../../../services/campaigns/campaigns.js';
import { deleteCampaign, duplicateCampaign, editCampaign } from '../../../services/campaigns/edit.js';
import { listCampaignsWithCounts } from '../../../services/campaigns/list.js';
import { sampleMessage, sendTestMessage } from '../../../services/campaigns/test-send.js';
import type { Problem } from '../../../core/policy/guards.js';
import { DomainError } from '../../../services/errors.js';
import { listPurposeViews } from '../../../services/organisation/purposes.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { framesPreview, previewMessage, sendPreview } from '../components/preview.js';
import { confirmedAction, domainMessage, formAction, formValues, type AdminHandler } from '../handler.js';
import { campaignFormValues, campaignsPage, editCampaignPage, newCampaignPage, type CampaignFormChoices } from './campaigns.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const query = (req: FastifyRequest) => (req.query ?? {}) as Record<string, string | undefined>;

/** The form's fields; the service checks the rest (templates, images, language, format, translation). */
const campaignSchema = z.object({
  name: z.string().trim().min(1),
  purposeId: z.string().min(1),
  subject: z.string().trim().min(1),
  language: z.string(),
  format: z.string(),
  body: z.string().refine((v) => v.trim() !== '', 'required'),
  translationOf: z.string().optional().transform((v) => v || undefined),
});
type CampaignForm = z.output<typeof campaignSchema>;
const asInput = (f: CampaignForm) => ({ ...f, language: f.language as 'nl' | 'en', format: f.format as 'markdown' | 'text' });

/** The purposes, and the drafts that may be the original of a translation (checkTranslation decides). */
async function choices(a: AdminCtx): Promise<CampaignFormChoices> {
  return {
    purposes: await listPurposeViews(a.deps),
    originals: (await listCampaignsWithCounts(a.deps)).filter((c) => c.status === 'draft' && !c.translation_of),
  };
}

/**
 * The editor page for a campaign, with the preview as `?contact=&width=` ask.
 * @param test the test-send form's state (an error after a refused test)
 */
async function editor(a: AdminCtx, req: FastifyRequest, state?: FormState, test: FormState = freshForm()): Promise<string> {
  const campaign = await loadCampaign(a.deps.db, idOf(req));
  const q = query(req);
  const samples = await allowedSample(a.deps, campaign.id);
  const asked = q.contact ?? formValuesOf(req).contact;
  const contactId = asked !== undefined ? asked : (samples[0]?.id ?? '');
  let previewError: string | null = null;
  try {
    await sampleMessage(a.deps, campaign.id);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    previewError = err.message;
  }
  const preview = previewError === null ? await previewCampaign(a.deps, campaign.id) : null;
  // A draft's checks again, for their warnings (third-party content, an incomplete privacy notice): nothing stored.
  let warnings: Problem[] = [];
  if (campaign.status === 'draft') {
    try {
      warnings = (await validateCampaign(a.deps, campaignInputOf(campaign), campaign.id)).warnings;
    } catch (err) {
      // What changed since it was saved (an archived purpose, the identity): saving will refuse it with this reason.
      if (!(err instanceof DomainError)) throw err;
      warnings = [{ field: err.field ?? 'campaign', code: err.code ?? 'invalid', message_en: err.message, message_nl: domainMessage(a, err), source: '', severity: 'error' }];
    }
  }
  return editCampaignPage(
    a,
    {
      campaign,
      choices: await choices(a),
      samples,
      contactId,
      width: q.width === 'phone' ? 'phone' : 'desktop',
      audience: { allowed: preview?.allowed ?? 0, total: preview?.total ?? 0, missing: preview?.missingVariables ?? [] },
      previewError,
      warnings,
    },
    state ?? freshForm(campaignFormValues(campaign)),
    test,
  );
}

const formValuesOf = (req: FastifyRequest) => (req.method === 'POST' ? ((req.body ?? {}) as Record<string, string | undefined>) : {});

/** GET /admin/campaigns */
export const campaignsList: AdminHandler = async (a) => campaignsPage(a, await listCampaignsWithCounts(a.deps), await listPurposeViews(a.deps));

/** GET /admin/campaigns/new */
export const campaignNew: AdminHandler = async (a) => {
  const c = await choices(a);
  return newCampaignPage(a, c, freshForm({ purposeId: c.purposes.find((p) => !p.archivedAt)?.id ?? '', language: a.lang, format: 'markdown' }));
};

/** POST /admin/campaigns: creates a draft and opens its editor. */
export const campaignCreate = formAction({
  schema: campaignSchema,
  run: (a, input) => createCampaign(a.deps, asInput(input)),
  done: (_a, c) => ({ to: `/admin/campaigns/${c.id}/edit`, flash: 'campaigns.created' }),
  form: async (a, state) => newCampaignPage(a, await choices(a), state),
});

/** GET /admin/campaigns/:id/edit[?contact=<id>&width=desktop|phone] */
export const campaignEdit: AdminHandler = framesPreview(async (a, req) => editor(a, req));

/** POST /admin/campaigns/:id/edit: saves a draft (a campaign that is not one is refused with the reason). */
export const campaignSave = framesPreview(formAction({
  schema: campaignSchema,
  run: (a, input, req) => editCampaign(a.deps, idOf(req), { ...asInput(input), translationOf: input.translationOf }),
  done: (_a, c) => ({ to: `/admin/campaigns/${c.id}/edit`, flash: 'campaigns.saved' }),
  form: (a, state, req) => editor(a, req, state),
}));

/**
 * GET /admin/campaigns/:id/preview.html[?contact=<id>]: the saved mail's HTML as the contact would see it, with a
 * placeholder unsubscribe link and uncounted links; shown in the editor's sandboxed iframe.
 */
export const campaignPreviewHtml: AdminHandler = async (a, req, reply) => {
  const contact = query(req).contact;
  const message = await sampleMessage(a.deps, idOf(req), contact ? { contact } : {});
  return sendPreview(reply, message.html ?? '');
};

/**
 * POST /admin/campaigns/:id/preview: the editor's form as typed (not saved) rendered into the preview iframe for the
 * chosen contact; stores nothing and is not logged. Content that does not compile shows the reason in the frame.
 */
export const campaignPreviewDraft: AdminHandler = async (a, req, reply) => {
  const f = formValues(req.body);
  const draft = { subject: f.subject ?? '', body: f.body ?? '', format: f.format ?? '', language: f.language ?? '', purposeId: f.purposeId ?? '' };
  try {
    const message = await sampleMessage(a.deps, idOf(req), { draft, ...(f.contact ? { contact: f.contact } : {}) });
    return sendPreview(reply, message.html ?? '');
  } catch (err) {
    if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
    return sendPreview(reply, previewMessage(a, a.t('preview.error', { message: domainMessage(a, err) })), 400);
  }
};

/** POST /admin/campaigns/:id/test: sends the campaign as the chosen contact would get it to the signed-in person only. */
export const campaignTest = framesPreview(formAction({
  schema: z.object({ contact: z.string().optional() }),
  run: async (a, input, req) => ({
    id: idOf(req),
    ...(await sendTestMessage(a.deps, { campaignId: idOf(req), to: a.session!.email, ...(input.contact ? { contact: input.contact } : {}) })),
  }),
  done: (_a, r, input) => ({ to: `/admin/campaigns/${r.id}/edit${input.contact ? `?contact=${encodeURIComponent(input.contact)}` : ''}`, flash: 'campaigns.testSent' }),
  form: (a, state, req) => editor(a, req, undefined, state),
}));

/** POST /admin/campaigns/:id/duplicate: a new draft, opened in the editor. */
export const campaignDuplicate = framesPreview(formAction({
  schema: z.object({}),
  run: (a, _input, req) => duplicateCampaign(a.deps, idOf(req)),
  done: (_a, c) => ({ to: `/admin/campaigns/${c.id}/edit`, flash: 'campaigns.duplicated' }),
  form: (a, state, req) => editor(a, req, undefined, state),
}));

/** GET /admin/campaigns/:id/delete asks, POST does it; only a draft. */
export const campaignDelete: AdminHandler = framesPreview(async (a, req, reply) => {
  const c = await loadCampaign(a.deps.db, idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (x) => x.t('campaigns.delete'),
    question: (x) => x.t('campaigns.deleteQuestion', { name: c.name }),
    cancel: `/admin/campaigns/${c.id}/edit`,
    run: (x) => deleteCampaign(x.deps, c.id),
    done: () => ({ to: '/admin/campaigns', flash: 'campaigns.deleted' }),
    form: (x, state) => editor(x, req, undefined, state),
  })(a, req, reply);
});
