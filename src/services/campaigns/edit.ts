/**
 * A campaign's life as a draft: edit and delete while it is a draft (what was sent or is being sent stays as it
 * went out: the deliveries and the proof refer to it), and duplicate any campaign into a new draft.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deleteDraftCampaign, insertCampaign, updateCampaignIf } from '../../store/campaigns.js';
import type { CampaignRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid } from '../errors.js';
import { campaignInputOf, campaignInputSchema, loadCampaign, validateCampaign, type CreatedCampaign } from './campaigns.js';
import { fixCampaignLinks } from './click-links.js';

type EditDeps = Data & Pick<Deps, 'clock' | 'baseUrl'>;

type Shape = typeof campaignInputSchema.shape;
type Optional<T extends z.ZodType> = z.ZodOptional<T extends z.ZodDefault<infer I extends z.ZodType> ? I : T>;

/**
 * An edit's input: every field of a campaign's input optional, without the defaults of create (a missing field
 * keeps its stored value rather than falling back to a default).
 */
export const campaignEditSchema = z.object(
  Object.fromEntries(
    Object.entries(campaignInputSchema.shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : v).optional()]),
  ) as { [K in keyof Shape]: Optional<Shape[K]> },
);
export type CampaignEdit = z.input<typeof campaignEditSchema>;

/**
 * Why a campaign that is not a draft cannot be changed, as a DomainError conflict on field `status`.
 * @param action what was asked, e.g. 'edited'
 */
export function notDraft(c: CampaignRow, action: string): DomainError {
  const why =
    c.status === 'scheduled'
      ? `it is scheduled to start at ${c.scheduled_at}; unschedule it first`
      : c.status === 'sending'
        ? 'it is being sent; duplicate it to make a new draft'
        : c.status === 'sent'
          ? 'it was sent; duplicate it to make a new draft'
          : `its status is ${c.status}`;
  return new DomainError('conflict', `status: only a draft campaign can be ${action}: ${why}`, 'status', 'not-draft');
}

/**
 * Changes fields of a draft campaign. The result is checked exactly as a new campaign is (`validateCampaign`):
 * templates, category rules, the sender identity.
 * @param changes the fields to change; the others keep their stored value
 * @returns the stored row and the warnings
 * @throws DomainError not_found for an unknown campaign; conflict (field `status`) when it is not a draft;
 *   invalid naming the field; nothing is stored then
 * @example editCampaign(deps, id, { subject: 'Nieuwe oogst' })
 */
export async function editCampaign(deps: EditDeps, id: string, changes: CampaignEdit): Promise<CreatedCampaign> {
  const c = await loadCampaign(deps.db, id);
  if (c.status !== 'draft') throw notDraft(c, 'edited');
  const parsed = campaignEditSchema.safeParse(changes);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(issue.path.join('.') || 'campaign', issue.message);
  }
  const defined = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  const { values, warnings } = await validateCampaign(deps, { ...campaignInputOf(c), ...defined }, id);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await updateCampaignIf(trx, id, 'draft', values))) throw notDraft((await loadCampaign(trx, id)), 'edited');
    await fixCampaignLinks(trx, id, values.purpose_id, values.body);
  });
  return { ...c, ...values, warnings };
}

/**
 * Deletes a draft campaign.
 * @throws DomainError not_found; conflict (field `status`) when it is not a draft
 */
export async function deleteCampaign(deps: Data, id: string): Promise<void> {
  const c = await loadCampaign(deps.db, id);
  if (c.status !== 'draft' || !(await deleteDraftCampaign(deps.db, id))) throw notDraft(await loadCampaign(deps.db, id), 'deleted');
}

/**
 * Copies a campaign of any status into a new draft: same purpose, category, language, subject and body; nothing
 * of its sending, schedule or figures. A copy of a translation is a campaign of its own (`translation_of` is
 * not copied): an original has one version per language, and the copy is usually the start of the next edition.
 * @param name the new draft's name (default: the old name with " (copy)")
 * @throws DomainError not_found for an unknown campaign
 */
export async function duplicateCampaign(deps: EditDeps, id: string, name?: string): Promise<CampaignRow> {
  const c = await loadCampaign(deps.db, id);
  if (name !== undefined) {
    const checked = campaignInputSchema.shape.name.safeParse(name);
    if (!checked.success) throw invalid('name', checked.error.issues[0]!.message);
  }
  const row: CampaignRow = {
    ...c,
    id: randomUUID(),
    name: name?.trim() ?? `${c.name.slice(0, 243)} (copy)`,
    status: 'draft',
    created_at: deps.clock.now().toISOString(),
    started_at: null,
    finished_at: null,
    scheduled_at: null,
    translation_of: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertCampaign(trx, row);
    await fixCampaignLinks(trx, row.id, row.purpose_id, row.body);
  });
  return row;
}
