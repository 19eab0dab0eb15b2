/**
 * Handlers of the Organisation page (read for every role, changes for owners; access in routes.ts). Each form
 * posts to its own path and calls one service: updateOrganisation, setRecipients, setTransfers
 * (services/organisation/organisation.ts), setDecisionSettings (consent/relationships.ts), setRetentionRules,
 * setMailBranding (branding.ts) or setTimeZone (time-zone.ts). A change that changes the privacy notice makes a
 * new version (the services do that); the flash message says whether it was published or kept as a draft.
 */
import { z } from 'zod';
import { RETENTION_RULE_KINDS, type RetentionRules } from '../../../core/retention.js';
import { setDecisionSettings } from '../../../services/consent/relationships.js';
import { DomainError } from '../../../services/errors.js';
import { setMailBranding, setMailLogoUpload } from '../../../services/organisation/branding.js';
import { listMedia } from '../../../services/organisation/media.js';
import { noticeStatus, type NoticeRevision } from '../../../services/organisation/notice-admin.js';
import {
  organisationSettings,
  setRecipients,
  setRetentionRules,
  setTransfers,
  updateOrganisation,
  type RecipientInput,
  type TransferInput,
} from '../../../services/organisation/organisation.js';
import { getTimeZone, setTimeZone } from '../../../services/organisation/time-zone.js';
import type { FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { formAction, type AdminHandler, type Done } from '../handler.js';
import type { UploadedFile } from '../plugin.js';
import { blankRow, organisationPage, rowCount, type OrgSection } from './organisation.view.js';

const PAGE = '/admin/organisation';
const text = z.string().trim().default('');
const all = z.record(z.string(), z.string());

async function show(a: AdminCtx, states: Partial<Record<OrgSection, FormState>> = {}): Promise<string> {
  const media = a.mediaDir ? await listMedia({ ...a.deps, mediaDir: a.mediaDir }) : null;
  const view = { settings: await organisationSettings(a.deps), notice: await noticeStatus(a.deps), timeZone: await getTimeZone(a.deps), media };
  return organisationPage(a, view, states);
}
const again = (section: OrgSection) => (a: AdminCtx, state: FormState) => show(a, { [section]: state });

/** The flash after a change that may have revised the privacy notice. */
const revised = (r: NoticeRevision): Done => ({
  to: PAGE,
  flash: r.version === null ? 'org.saved' : r.published ? 'org.savedNoticePublished' : 'org.savedNoticeDraft',
});

/**
 * The rows of a list form (`recipients[i].name` …) that hold something, as the service's input, with the page's
 * row number of each; a service error about item k is then shown next to page row rows[k].
 */
function rowsOf<F extends string>(values: Record<string, string>, list: string, fields: readonly F[], ignore: F): { items: Array<Record<F, string>>; rows: number[] } {
  const items: Array<Record<F, string>> = [];
  const rows: number[] = [];
  for (let i = 0; i < rowCount(values, list); i++) {
    if (blankRow(values, list, i, fields.filter((f) => f !== ignore))) continue;
    items.push(Object.fromEntries(fields.map((f) => [f, (values[`${list}[${i}].${f}`] ?? '').trim()])) as Record<F, string>);
    rows.push(i);
  }
  return { items, rows };
}

/** Runs a list service, naming its error's field by the page's row (`recipients[0].country` → `recipients[2].country`). */
async function byPageRow<T>(list: string, rows: number[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const m = err instanceof DomainError && err.field ? new RegExp(`^${list}\\[(\\d+)\\]`).exec(err.field) : null;
    if (!m) throw err;
    const e = err as DomainError;
    throw new DomainError(e.kind, e.message, e.field!.replace(m[0], `${list}[${rows[Number(m[1])]}]`), e.code);
  }
}

/** GET /admin/organisation */
export const organisationShow: AdminHandler = async (a) => show(a);

/** POST /admin/organisation: the identity, all fields at once (one wrong field saves none). */
export const organisationSave = formAction({
  schema: z.object({
    name: text, postalAddress: text, chamberOfCommerce: text, fromName: text, fromAddress: text, replyTo: text, privacyContact: text, dpoContact: text, website: text,
  }),
  run: (a, i) => {
    const optional = Object.fromEntries(
      Object.entries({ chamberOfCommerce: i.chamberOfCommerce, fromName: i.fromName, privacyContact: i.privacyContact, dpoContact: i.dpoContact, website: i.website }).filter(([, v]) => v !== ''),
    );
    return updateOrganisation(a.deps, { name: i.name, postalAddress: i.postalAddress, fromAddress: i.fromAddress, replyTo: i.replyTo, ...optional });
  },
  done: (_a, r) => revised(r.notice),
  form: again('identity'),
});

const RECIPIENT_FIELDS = ['name', 'role', 'task_nl', 'task_en', 'country'] as const;
/** POST /admin/organisation/recipients: the whole list; rows left empty are dropped, an empty list states "none". */
export const recipientsSave = formAction({
  schema: all,
  run: (a, values) => {
    const { items, rows } = rowsOf(values, 'recipients', RECIPIENT_FIELDS, 'role');
    return byPageRow('recipients', rows, () => setRecipients(a.deps, items.length ? (items as RecipientInput[]) : 'none'));
  },
  done: (_a, r) => revised(r),
  form: again('recipients'),
});

const TRANSFER_FIELDS = ['recipient', 'country', 'safeguard', 'details_nl', 'details_en'] as const;
/** POST /admin/organisation/transfers: the whole list; rows left empty are dropped, an empty list states "none". */
export const transfersSave = formAction({
  schema: all,
  run: (a, values) => {
    const { items, rows } = rowsOf(values, 'transfers', TRANSFER_FIELDS, 'safeguard');
    return byPageRow('transfers', rows, () => setTransfers(a.deps, items.length ? (items as unknown as TransferInput[]) : 'none'));
  },
  done: (_a, r) => revised(r),
  form: again('transfers'),
});

const whole = z.string().trim().regex(/^\d*$/, 'whole-number');

/** POST /admin/organisation/decisions: the settings that change decisions. */
export const decisionsSave = formAction({
  schema: z.object({ customerExceptionMonths: whole.min(1) }),
  run: (a, i) => setDecisionSettings(a.deps, { customerExceptionMonths: Number(i.customerExceptionMonths) }),
  done: () => ({ to: PAGE, flash: 'org.saved' }),
  form: again('decisions'),
});

/** POST /admin/organisation/retention: every rule at once; an empty field is no rule (or the default). */
export const retentionSave = formAction({
  schema: z.object(Object.fromEntries(RETENTION_RULE_KINDS.map((k) => [`retention.${k}`, whole.default('')]))) as z.ZodType<Record<string, string>>,
  run: (a, i) => {
    const rules = Object.fromEntries(RETENTION_RULE_KINDS.map((k) => [k, i[`retention.${k}`] ? Number(i[`retention.${k}`]) : undefined])) as Partial<RetentionRules>;
    return setRetentionRules(a.deps, rules);
  },
  done: () => ({ to: PAGE, flash: 'org.saved' }),
  form: again('retention'),
});

/**
 * POST /admin/organisation/branding (multipart when this server keeps media): the logo and accent colour of mail.
 * The logo is a new image uploaded here (`logoFile`, which wins), an uploaded image (`logo` = its URL), another
 * address (`logo` = `url`, `logoUrl`), or none (`logo` empty); an empty accent colour is the default.
 */
export const brandingSave: AdminHandler = async (a, req, reply) => {
  const file = (req.body as Record<string, unknown> | undefined)?.logoFile as UploadedFile | undefined;
  const upload = file && typeof file === 'object' && 'data' in file && file.filename ? file : null;
  return formAction({
    schema: z
      .object({ logo: text, logoUrl: text, accentColour: text })
      .refine((v) => upload || v.logo !== 'url' || v.logoUrl !== '', { path: ['logoUrl'], message: 'required' }),
    run: async (c, i) => {
      const accentColour = i.accentColour || null;
      if (upload && c.mediaDir) return setMailLogoUpload({ ...c.deps, mediaDir: c.mediaDir }, { logoFile: { fileName: upload.filename, data: upload.data }, accentColour });
      const logoUrl = i.logo === 'url' ? i.logoUrl : i.logo || null;
      try {
        return await setMailBranding(c.deps, { logoUrl, accentColour });
      } catch (err) {
        // The service names `logoUrl`; a wrong value chosen in the select is shown there.
        if (err instanceof DomainError && err.field === 'logoUrl' && i.logo !== 'url') throw new DomainError(err.kind, err.message, 'logo', err.code, err.params);
        throw err;
      }
    },
    // To the top, where the notice is: without a fragment the browser would keep the form's #branding.
    done: () => ({ to: `${PAGE}#main`, flash: 'org.saved' }),
    // The upload's refusal names `logoFile`, a file and so not among the form's values: shown next to it all the same.
    form: async (c, state) => show(c, { branding: upload && state.formError ? { values: state.values, errors: { logoFile: state.formError } } : state }),
  })(a, req, reply);
};

/** POST /admin/organisation/time-zone */
export const timeZoneSave = formAction({
  schema: z.object({ timeZone: z.string().trim().min(1) }),
  run: (a, i) => setTimeZone(a.deps, i.timeZone),
  done: () => ({ to: PAGE, flash: 'org.saved' }),
  form: again('timeZone'),
});
