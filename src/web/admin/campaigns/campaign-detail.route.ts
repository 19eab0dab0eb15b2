/**
 * Handlers of one campaign's page and its actions (access in routes.ts: 'read' for the pages, 'edit' for the
 * rest). Each action validates, calls one service of src/services/campaigns/ (the same the CLI and the JSON API
 * call) and redirects back to the campaign with a message, or shows the page again with the error.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatInZone } from '../../../core/zoned-time.js';
import { sendToAddedSince } from '../../../services/campaigns/added-since.js';
import { audienceContacts } from '../../../services/campaigns/audience.js';
import { loadCampaign, previewCampaign, startCampaign } from '../../../services/campaigns/campaigns.js';
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign } from '../../../services/campaigns/control.js';
import { campaignFigures } from '../../../services/campaigns/figures.js';
import { scheduleCampaign, unscheduleCampaign } from '../../../services/campaigns/schedule.js';
import { DomainError } from '../../../services/errors.js';
import { getTimeZone } from '../../../services/organisation/time-zone.js';
import { purposeById } from '../../../store/purposes.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { confirmedAction, formAction, type AdminHandler } from '../handler.js';
import type { AdminTextKey } from '../texts.js';
import { audiencePage, campaignPage } from './campaign-detail.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const pathOf = (id: string) => `/admin/campaigns/${encodeURIComponent(id)}`;

/** The campaign page with the schedule form's state (or another action's error). */
async function showCampaign(a: AdminCtx, id: string, state?: FormState): Promise<string> {
  const campaign = await loadCampaign(a.deps.db, id);
  const purpose = await purposeById(a.deps.db, campaign.purpose_id);
  const timeZone = await getTimeZone(a.deps);
  const scheduledLocal = campaign.status === 'scheduled' && campaign.scheduled_at ? formatInZone(new Date(campaign.scheduled_at), timeZone) : null;
  const initial = scheduledLocal ? freshForm({ date: scheduledLocal.slice(0, 10), time: scheduledLocal.slice(11, 16) }) : freshForm();
  return campaignPage(
    a,
    {
      campaign,
      purposeName: purpose ? (a.lang === 'nl' ? purpose.name_nl : purpose.name_en) : campaign.purpose_id,
      timeZone,
      scheduledLocal,
      progress: await campaignProgress(a.deps, id),
      figures: await campaignFigures(a.deps, id),
    },
    state ?? initial,
  );
}

/** GET /admin/campaigns/:id */
export const campaignShow: AdminHandler = async (a, req) => showCampaign(a, idOf(req));

const audienceQuery = z.object({ reason: z.string().regex(/^[A-Z_]{1,64}$/).optional(), after: z.string().min(1).max(200).optional() });

/** GET /admin/campaigns/:id/audience[?reason=CODE[&after=ID]]: 20 contacts per group, or one group 100 at a time. */
export const campaignAudience: AdminHandler = async (a, req) => {
  const id = idOf(req);
  const q = audienceQuery.safeParse(req.query);
  const { reason, after } = q.success ? q.data : {};
  const campaign = await loadCampaign(a.deps.db, id);
  const preview = await previewCampaign(a.deps, id);
  const groups = await audienceContacts(a.deps, id, { ...(reason && { reason, limit: 100 }), ...(reason && after && { after }) });
  return audiencePage(a, { campaign, preview, groups, reason: reason ?? null, after: (reason && after) || null });
};

/** A field-less action on the campaign: one service call, then back to the campaign's page with a message, or
 * the page again with the service's refusal above it. */
const backToCampaign = (run: (a: AdminCtx, id: string) => Promise<unknown>, flash: AdminTextKey): AdminHandler => async (a, req, reply) =>
  formAction({
    schema: z.object({}),
    run: (c) => run(c, idOf(req)),
    done: () => ({ to: pathOf(idOf(req)), flash }),
    form: (c, state) => showCampaign(c, idOf(req), state),
  })(a, req, reply);

/** The schedule form: a date and a time of day, read in the organisation's time zone by the service. */
const scheduleSchema = z.object({
  date: z.string().trim().min(1).regex(/^\d{4}-\d{2}-\d{2}$/, 'bad-date'),
  time: z.string().trim().min(1).regex(/^\d{2}:\d{2}$/, 'bad-clock'),
});

/** POST /admin/campaigns/:id/schedule: schedules a draft (or moves a scheduled one); a time the clocks skip or
 * show twice, or one in the past, comes back next to the time field. */
export const campaignSchedule: AdminHandler = async (a, req, reply) =>
  formAction({
    schema: scheduleSchema,
    run: async (c, input) => {
      try {
        return await scheduleCampaign(c.deps, idOf(req), `${input.date} ${input.time}`);
      } catch (err) {
        // The service names its one input `at`; on this form that is the date and time, shown at the time.
        if (err instanceof DomainError && err.field === 'at') throw new DomainError(err.kind, err.message, 'time', err.code);
        throw err;
      }
    },
    done: () => ({ to: pathOf(idOf(req)), flash: 'campaign.scheduled' }),
    form: (c, state) => showCampaign(c, idOf(req), state),
  })(a, req, reply);

/** POST /admin/campaigns/:id/unschedule */
export const campaignUnschedule = backToCampaign((a, id) => unscheduleCampaign(a.deps, id), 'campaign.unscheduled');

/** POST /admin/campaigns/:id/pause */
export const campaignPause = backToCampaign((a, id) => pauseCampaign(a.deps, id), 'campaign.paused');

/** POST /admin/campaigns/:id/resume */
export const campaignResume = backToCampaign((a, id) => resumeCampaign(a.deps, id), 'campaign.resumed');

/** GET /admin/campaigns/:id/send asks, naming how many recipients may be mailed now; POST starts it. */
export const campaignSend: AdminHandler = async (a, req, reply) => {
  const id = idOf(req);
  const campaign = await loadCampaign(a.deps.db, id);
  const asking = (req.body as Record<string, unknown> | undefined)?.confirm !== 'yes';
  const allowed = asking ? (await previewCampaign(a.deps, id)).allowed : 0;
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('campaign.sendNow'),
    question: (c) => c.t('campaign.sendNowQuestion', { name: campaign.name, count: allowed }),
    cancel: pathOf(id),
    run: (c) => startCampaign(c.deps, id),
    done: () => ({ to: pathOf(id), flash: 'campaign.started' }),
    form: (c, state) => showCampaign(c, id, state),
  })(a, req, reply);
};

/** GET /admin/campaigns/:id/cancel asks, POST does it: queued deliveries are never sent. */
export const campaignCancel: AdminHandler = async (a, req, reply) => {
  const id = idOf(req);
  const campaign = await loadCampaign(a.deps.db, id);
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('campaign.cancel'),
    question: (c) => c.t('campaign.cancelQuestion', { name: campaign.name }),
    cancel: pathOf(id),
    run: (c) => cancelCampaign(c.deps, id),
    done: () => ({ to: pathOf(id), flash: 'campaign.cancelled' }),
    form: (c, state) => showCampaign(c, id, state),
  })(a, req, reply);
};

/** GET /admin/campaigns/:id/send-new asks, POST does it: those who became eligible since it went out, each once. */
export const campaignSendNew: AdminHandler = async (a, req, reply) => {
  const id = idOf(req);
  const campaign = await loadCampaign(a.deps.db, id);
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('campaign.sendNew'),
    question: (c) => c.t('campaign.sendNewQuestion', { name: campaign.name }),
    cancel: pathOf(id),
    run: (c) => sendToAddedSince(c.deps, id),
    done: () => ({ to: pathOf(id), flash: 'campaign.sentNew' }),
    form: (c, state) => showCampaign(c, id, state),
  })(a, req, reply);
};
