/**
 * `consentry purpose …`, `consentry org …` and `consentry form list|show|edit`: what the admin app's Purposes,
 * Organisation and Forms pages change, through the same services (services/organisation/).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PURPOSE_CATEGORIES } from '../../core/policy/purpose-guard.js';
import { getForm, listFormViews, updateForm, type FormInput } from '../../services/organisation/forms.js';
import type { NoticeRevision } from '../../services/organisation/notice-admin.js';
import {
  organisationSettings,
  setRecipients,
  setRetentionRules,
  setTransfers,
  updateOrganisation,
} from '../../services/organisation/organisation.js';
import { archivePurpose, createPurpose, getPurpose, listPurposeViews, updatePurpose, type PurposeFields } from '../../services/organisation/purposes.js';
import { invalid } from '../../services/errors.js';
import { printJson, printTable, withContext } from '../shared.js';

type Opts = Record<string, string | boolean | undefined>;

/** Purpose fields from the command's options; unset options keep `base`'s values. */
function purposeFields(o: Opts, base?: PurposeFields): PurposeFields {
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  return {
    name_nl: s('nameNl') ?? base?.name_nl ?? '',
    name_en: s('nameEn') ?? base?.name_en ?? '',
    description_nl: s('descriptionNl') ?? base?.description_nl ?? '',
    description_en: s('descriptionEn') ?? base?.description_en ?? '',
    category: (s('category') ?? base?.category) as PurposeFields['category'],
    ...((s('bases') ?? base?.bases) !== undefined ? { bases: s('bases')?.split(',').map((b) => b.trim()) ?? base?.bases } : {}),
    doubleOptIn: o.singleOptIn ? false : (base?.doubleOptIn ?? true),
    singleOptInAcknowledged: o.singleOptIn === true,
    frequency_nl: s('frequencyNl') ?? base?.frequency_nl,
    frequency_en: s('frequencyEn') ?? base?.frequency_en,
    retention_nl: s('retentionNl'),
    retention_en: s('retentionEn'),
  };
}

const purposeOptions = (cmd: Command): Command =>
  cmd
    .option('--name-nl <text>', 'name in Dutch')
    .option('--name-en <text>', 'name in English')
    .option('--description-nl <text>', 'what people get, in Dutch')
    .option('--description-en <text>', 'what people get, in English')
    .option('--category <kind>', `one of ${PURPOSE_CATEGORIES.join(', ')}`)
    .option('--bases <codes>', 'accepted lawful bases, comma-separated (A6-1-a … A6-1-f)')
    .option('--single-opt-in', 'no confirmation mail: only on purpose (SCENARIOS A6)')
    .option('--frequency-nl <text>', 'how often, in Dutch')
    .option('--frequency-en <text>', 'how often, in English')
    .option('--retention-nl <text>', 'how long data is kept, as the privacy notice says it, in Dutch')
    .option('--retention-en <text>', 'the same in English')
    .option('--json', 'print the result as JSON');

function printRevision(n: NoticeRevision): void {
  if (n.version === null) return;
  console.log(`privacy notice: version ${n.version}${n.published ? ' published' : ' saved as a draft'}`);
  for (const m of n.missing) console.log(`  missing in notice: ${m.item} ${m.en}`);
  if (!n.published && n.missing.length === 0) console.log(`  complete: publish it with \`consentry notice publish ${n.version}\``);
}

export function registerOrganisation(program: Command): void {
  const purpose = program.command('purpose').description('purposes: the units of consent');
  purpose
    .command('list')
    .option('--json', 'print as JSON')
    .action(async (o: Opts) => {
      await withContext(async (ctx) => {
        const list = await listPurposeViews(ctx.deps);
        if (o.json) return printJson(list);
        printTable(list.map((p) => ({ id: p.id, name: p.name.en, category: p.category, bases: p.bases.join(','), doubleOptIn: p.doubleOptIn, archived: p.archivedAt ?? '' })));
      });
    });
  purposeOptions(purpose.command('add').description('a new purpose; the privacy notice gets a new version').argument('<id>', 'lower-case letters, digits, dashes')).action(
    async (id: string, o: Opts) => {
      await withContext(async (ctx) => {
        const r = await createPurpose(ctx.deps, { id, ...purposeFields(o) });
        if (o.json) return printJson(r);
        console.log(`purpose ${r.purpose.id} (${r.purpose.category}, ${r.purpose.bases.join(', ')})`);
        printRevision(r.notice);
      });
    },
  );
  purposeOptions(purpose.command('edit').description('change a purpose (kind and bases are fixed once people gave permission)').argument('<id>')).action(
    async (id: string, o: Opts) => {
      await withContext(async (ctx) => {
        const p = await getPurpose(ctx.deps, id);
        const base: PurposeFields = {
          name_nl: p.name.nl, name_en: p.name.en, description_nl: p.description.nl, description_en: p.description.en,
          category: p.category, bases: p.bases, doubleOptIn: p.doubleOptIn,
          frequency_nl: p.frequency.nl ?? undefined, frequency_en: p.frequency.en ?? undefined,
        };
        const fields = purposeFields(o, base);
        const r = await updatePurpose(ctx.deps, id, { ...fields, singleOptInAcknowledged: fields.singleOptInAcknowledged || !p.doubleOptIn });
        if (o.json) return printJson(r);
        console.log(`purpose ${r.purpose.id} changed`);
        printRevision(r.notice);
      });
    },
  );
  for (const [name, archived] of [['archive', true], ['restore', false]] as const) {
    purpose
      .command(name)
      .description(archived ? 'no new forms or campaigns for it; evidence stays' : 'bring an archived purpose back')
      .argument('<id>')
      .action(async (id: string) => {
        await withContext(async (ctx) => {
          const p = await archivePurpose(ctx.deps, id, archived);
          console.log(`purpose ${p.id} ${p.archivedAt ? `archived since ${p.archivedAt}` : 'in use'}`);
        });
      });
  }

  const org = program.command('org').description('the organisation: identity, recipients, transfers, retention');
  org
    .command('show')
    .option('--json', 'print as JSON')
    .action(async (o: Opts) => {
      await withContext(async (ctx) => {
        const s = await organisationSettings(ctx.deps);
        if (o.json) return printJson(s);
        console.log(JSON.stringify(s, null, 2));
      });
    });
  org
    .command('set')
    .description('change the identity shown in every message and the privacy notice')
    .option('--name <text>', 'legal name')
    .option('--address <text>', 'postal address')
    .option('--reply-to <email>', 'reply address (a working mailbox)')
    .option('--from <email>', 'from address')
    .option('--from-name <text>', 'display name in From')
    .option('--kvk <number>', 'Chamber of Commerce number')
    .option('--website <url>', 'website')
    .option('--privacy-contact <email>', 'address for privacy questions')
    .option('--dpo <contact>', 'data protection officer')
    .action(async (o: Opts) => {
      await withContext(async (ctx) => {
        const current = (await organisationSettings(ctx.deps)).organisation;
        if (!current) throw invalid('organisation', 'set up the organisation first (consentry init)');
        const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
        const r = await updateOrganisation(ctx.deps, {
          ...current,
          ...(s('name') !== undefined && { name: s('name') }),
          ...(s('address') !== undefined && { postalAddress: s('address') }),
          ...(s('replyTo') !== undefined && { replyTo: s('replyTo') }),
          ...(s('from') !== undefined && { fromAddress: s('from') }),
          ...(s('fromName') !== undefined && { fromName: s('fromName') }),
          ...(s('kvk') !== undefined && { chamberOfCommerce: s('kvk') }),
          ...(s('website') !== undefined && { website: s('website') }),
          ...(s('privacyContact') !== undefined && { privacyContact: s('privacyContact') }),
          ...(s('dpo') !== undefined && { dpoContact: s('dpo') }),
        });
        console.log(`organisation: ${r.organisation.name}`);
        printRevision(r.notice);
      });
    });
  org
    .command('recipients')
    .description('state who receives personal data (GDPR 13(1)(e)): a JSON file with [{ name, role, task_nl, task_en, country }], or "none"')
    .argument('<file|none>')
    .action(async (arg: string) => {
      await withContext(async (ctx) => printRevision(await setRecipients(ctx.deps, arg === 'none' ? 'none' : readJsonList(arg))));
    });
  org
    .command('transfers')
    .description('state transfers outside the EEA (GDPR 13(1)(f)): a JSON file with [{ recipient, country, safeguard, details_nl, details_en }], or "none"')
    .argument('<file|none>')
    .action(async (arg: string) => {
      await withContext(async (ctx) => printRevision(await setTransfers(ctx.deps, arg === 'none' ? 'none' : readJsonList(arg))));
    });
  org
    .command('retention')
    .description('change retention rules (days/months/years; 0 = at once)')
    .option('--unconfirmed-after-days <n>')
    .option('--withdrawn-after-days <n>')
    .option('--inactive-after-months <n>')
    .option('--one-to-one-after-days <n>')
    .option('--former-customer-after-years <n>')
    .action(async (o: Record<string, string>) => {
      const keys = { unconfirmedAfterDays: 'unconfirmed_after_days', withdrawnAfterDays: 'withdrawn_after_days', inactiveAfterMonths: 'inactive_after_months', oneToOneAfterDays: 'one_to_one_after_days', formerCustomerAfterYears: 'former_customer_after_years' } as const;
      const input = Object.fromEntries(Object.entries(keys).filter(([k]) => o[k] !== undefined).map(([k, rule]) => [rule, /^\d+$/.test(o[k]!) ? Number(o[k]) : o[k]]));
      await withContext(async (ctx) => printJson(await setRetentionRules(ctx.deps, input)));
    });

  const form = program.commands.find((c) => c.name() === 'form') ?? program.command('form').description('sign-up forms');
  form
    .command('list')
    .option('--json', 'print as JSON')
    .action(async (o: Opts) => {
      await withContext(async (ctx) => {
        const forms = await listFormViews(ctx.deps);
        if (o.json) return printJson(forms);
        printTable(forms.map((f) => ({ id: f.id, name: f.name, purposes: f.purposeIds.join(','), leadMagnet: f.leadMagnetPurposeId ?? '', doubleOptIn: f.doubleOptIn, url: f.url })));
      });
    });
  form
    .command('edit')
    .description('change a form (the same checks as creating one)')
    .argument('<id>')
    .option('--name <text>', 'its name')
    .option('--purposes <ids>', 'the purposes it offers, comma-separated (one box each)')
    .option('--lead-magnet <purpose>', 'a service purpose delivered to everyone who signs up ("" for none)')
    .option('--thank-you-url <https url>', 'page to show after signing up ("" for our own)')
    .option('--logo-url <https url>', 'logo above the form ("" for none)')
    .option('--accent-colour <#rrggbb>', 'accent colour ("" for the default)')
    .action(async (id: string, o: Record<string, string | undefined>) => {
      await withContext(async (ctx) => {
        const f = await getForm(ctx.deps, id);
        const keep = (given: string | undefined, old: string | undefined | null) => (given === undefined ? (old ?? undefined) : given || undefined);
        const input: Omit<FormInput, 'id'> = {
          name: o.name ?? f.name,
          boxes: (o.purposes?.split(',').map((p) => p.trim()) ?? f.purposeIds).map((p) => ({ purposeIds: [p], preTicked: false, required: false })),
          leadMagnetPurposeId: keep(o.leadMagnet, f.leadMagnetPurposeId) ?? null,
          doubleOptIn: f.doubleOptIn,
          singleOptInAcknowledged: !f.doubleOptIn,
          ...(o.purposes === undefined && { texts: f.texts }),
          appearance: Object.fromEntries(
            Object.entries({
              thankYouUrl: keep(o.thankYouUrl, f.appearance.thankYouUrl),
              logoUrl: keep(o.logoUrl, f.appearance.logoUrl),
              accentColour: keep(o.accentColour, f.appearance.accentColour),
            }).filter(([, v]) => v !== undefined),
          ),
        };
        const { warnings } = await updateForm(ctx.deps, id, input);
        for (const w of warnings) console.error(`warning: ${w.message_en} [${w.source}]`);
        console.log(`form: ${f.url}`);
      });
    });
}

function readJsonList<T>(file: string): T[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid('file', `${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw invalid('file', `${file}: expected a JSON array`);
  return value as T[];
}
