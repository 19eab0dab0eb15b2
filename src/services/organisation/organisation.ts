/**
 * The organisation's settings after set-up, for the admin app, the CLI and the JSON API: the controller's
 * identity (name, postal address, KvK, From, Reply-To; Tw 11.7, GDPR 13(1)(a)), its recipients and processors
 * (GDPR 13(1)(e), 28) and transfers outside the EEA (13(1)(f)), and the retention rules (13(2)(a), 5(1)(e)).
 * Each change that the privacy notice states makes a new notice version (`reviseNotice`): published at once when
 * nothing is missing, else kept as a draft with the items still to fill in. Settings that change decisions
 * (customer-exception months) stay in consent/relationships.ts `setDecisionSettings`.
 */
import { z } from 'zod';
import { controllerOf, isEeaCountry, noticeContentSchema, TRANSFER_SAFEGUARDS, type NoticeContent } from '../../core/notice.js';
import { organisationSchema, type Organisation } from '../../core/organisation.js';
import { retentionRulesSchema, type RetentionRules } from '../../core/retention.js';
import { getDecisionSettings, getOrganisation, putOrganisation, putSetting } from '../../store/settings.js';
import type { SettingsFacts } from '../../core/policy/facts.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, issueCode } from '../errors.js';
import { RETENTION_SETTING, retentionRules } from '../rights/retention.js';
import { reviseNotice, type NoticeRevision } from './notice-admin.js';

type OrgDeps = Data & Pick<Deps, 'clock'>;

const fieldError = (e: z.ZodError, prefix: string) => {
  const i = e.issues[0]!;
  const field = `${prefix}${i.path.join('.')}`;
  return invalid(field, `${field}: ${i.message}`, issueCode(i));
};

/** A recipient of personal data: a processor such as the mail provider or host, or another controller. */
export const recipientInputSchema = z.object({
  name: z.string().trim().min(1, 'the recipient needs a name').max(200),
  role: z.enum(['processor', 'controller']).default('processor'),
  task_nl: z.string().trim().min(2, 'say what it does, in Dutch'),
  task_en: z.string().trim().min(2, 'say what it does, in English'),
  /** ISO 3166-1 alpha-2, e.g. NL, DE, US. */
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as NL or US').transform((c) => c.toUpperCase()),
});
export type RecipientInput = z.input<typeof recipientInputSchema>;

/** A transfer outside the EEA with its safeguard (GDPR 44–49). */
export const transferInputSchema = z.object({
  recipient: z.string().trim().min(1, 'name the recipient'),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as US')
    .transform((c) => c.toUpperCase())
    .refine((c) => !isEeaCountry(c), { message: 'this country is inside the EEA: no transfer to state', params: { code: 'country-in-eea' } }),
  safeguard: z.enum(TRANSFER_SAFEGUARDS),
  details_nl: z.string().trim().min(2, 'which decision or clauses, in Dutch'),
  details_en: z.string().trim().min(2, 'which decision or clauses, in English'),
});
export type TransferInput = z.input<typeof transferInputSchema>;

/** Everything the Organisation page shows. */
export interface OrganisationSettings {
  organisation: Organisation | null;
  /** As the newest notice version states them; null when never stated. */
  recipients: NoticeContent['recipients'];
  transfers: NoticeContent['transfers'];
  decisions: SettingsFacts;
  retention: RetentionRules;
}

async function newestNotice(deps: Data): Promise<NoticeContent | null> {
  const row = await deps.db.selectFrom('privacy_notices').select('content').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? noticeContentSchema.parse(JSON.parse(row.content)) : null;
}

/** The organisation's settings as they are now. */
export async function organisationSettings(deps: Data): Promise<OrganisationSettings> {
  const notice = await newestNotice(deps);
  return {
    organisation: await getOrganisation(deps.db),
    recipients: notice?.recipients ?? null,
    transfers: notice?.transfers ?? null,
    decisions: await getDecisionSettings(deps.db),
    retention: await retentionRules(deps),
  };
}

/**
 * Changes the controller's identity as a whole: every field is checked before anything is stored, so one wrong
 * field saves none. Campaigns read it when they are sent, so From, Reply-To and the postal address in footers
 * change from the next message on; the notice's controller item follows. The mail branding (logo, accent colour;
 * branding.ts) is kept when the input leaves it out.
 * @throws DomainError invalid naming the field (e.g. `replyTo`) with a code (issueCode); conflict before set-up
 */
export async function updateOrganisation(deps: OrgDeps, input: z.input<typeof organisationSchema>): Promise<{ organisation: Organisation; notice: NoticeRevision }> {
  const parsed = organisationSchema.safeParse(input);
  if (!parsed.success) throw fieldError(parsed.error, '');
  return deps.db.transaction().execute(async (trx) => {
    const tx = { db: trx, dialect: deps.dialect, clock: deps.clock };
    const current = await getOrganisation(trx);
    if (!current) throw new DomainError('conflict', 'set up the organisation first (consentry init or the set-up page)', 'organisation', 'not-set-up');
    const org: Organisation = {
      ...(current.logoUrl !== undefined && { logoUrl: current.logoUrl }),
      ...(current.accentColour !== undefined && { accentColour: current.accentColour }),
      ...parsed.data,
    };
    await putOrganisation(trx, org);
    const notice = await reviseNotice(tx, (c) => ({
      ...c,
      controller: controllerOf(org),
      dpo: org.dpoContact ? { appointed: true, contact: org.dpoContact } : c.dpo?.appointed ? { appointed: false } : c.dpo,
    }));
    return { organisation: org, notice };
  });
}

/**
 * States the recipients of personal data (GDPR 13(1)(e)): the processors (mail provider, host) and other
 * controllers, or `'none'`. A recipient outside the EEA also needs a transfer entry (`setTransfers`); until then
 * the notice lists 13(1)(f) as missing.
 * @throws DomainError invalid naming `recipients[i].field`
 */
export async function setRecipients(deps: OrgDeps, input: RecipientInput[] | 'none'): Promise<NoticeRevision> {
  const list = input === 'none' ? 'none' : input.map((r, i) => {
    const p = recipientInputSchema.safeParse(r);
    if (!p.success) throw fieldError(p.error, `recipients[${i}].`);
    return { name: p.data.name, role: p.data.role, task: { nl: p.data.task_nl, en: p.data.task_en }, country: p.data.country };
  });
  return deps.db.transaction().execute((trx) =>
    reviseNotice({ db: trx, dialect: deps.dialect, clock: deps.clock }, (c) => ({ ...c, recipients: list })),
  );
}

/**
 * States the transfers outside the EEA with their safeguards (GDPR 13(1)(f), 44–49), or `'none'`.
 * @throws DomainError invalid naming `transfers[i].field` (e.g. a country inside the EEA)
 */
export async function setTransfers(deps: OrgDeps, input: TransferInput[] | 'none'): Promise<NoticeRevision> {
  const list = input === 'none' ? 'none' : input.map((t, i) => {
    const p = transferInputSchema.safeParse(t);
    if (!p.success) throw fieldError(p.error, `transfers[${i}].`);
    return { recipient: p.data.recipient, country: p.data.country, safeguard: p.data.safeguard, details: { nl: p.data.details_nl, en: p.data.details_en } };
  });
  return deps.db.transaction().execute((trx) =>
    reviseNotice({ db: trx, dialect: deps.dialect, clock: deps.clock }, (c) => ({ ...c, transfers: list })),
  );
}

/**
 * Changes the retention rules (GDPR 5(1)(e); SCENARIOS E6–E8), merged over the ones in force. The retention run
 * and its dry run apply them from the next run on.
 * @returns the rules now in force
 * @throws DomainError invalid naming `retention.<rule>`
 */
export async function setRetentionRules(deps: Data, input: Partial<RetentionRules>): Promise<RetentionRules> {
  const parsed = retentionRulesSchema.strict().safeParse(input);
  if (!parsed.success) throw fieldError(parsed.error, 'retention.');
  const merged = { ...(await retentionRules(deps)), ...parsed.data };
  await putSetting(deps.db, RETENTION_SETTING, merged);
  return merged;
}
