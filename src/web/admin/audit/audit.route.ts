/**
 * Handlers of the audit page (access in routes.ts): the list audit (services/lists/audit.ts, the same as
 * `consentry audit`) and starting a draft re-permission campaign for a purpose
 * (services/campaigns/repermission.ts), which opens on the campaign's page.
 */
import { z } from 'zod';
import { LANGUAGES } from '../../../core/vocab.js';
import { draftRepermissionCampaign } from '../../../services/campaigns/repermission.js';
import { auditList } from '../../../services/lists/audit.js';
import { formAction, type AdminHandler } from '../handler.js';
import { auditPage } from './audit.view.js';

/** GET /admin/audit */
export const auditShow: AdminHandler = async (a) => auditPage(a, await auditList(a.deps));

/** POST /admin/audit/repermission: a draft re-permission campaign for the purpose, then its page. */
export const auditRepermission = formAction({
  schema: z.object({ purpose: z.string().trim().min(1).max(41), language: z.enum(LANGUAGES) }),
  run: (a, i) => draftRepermissionCampaign(a.deps, i.purpose, i.language),
  done: (_a, c) => ({ to: `/admin/campaigns/${c.id}`, flash: 'audit.repermissionStarted' }),
  form: async (a, state) => auditPage(a, await auditList(a.deps), state),
});
