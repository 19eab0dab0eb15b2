/**
 * `consentry init`, `consentry form create` and `consentry apikey`: first set-up of identity, purpose, notice and
 * form; further sign-up forms (also on a server set up by `import evidence`); API keys.
 */
import type { Command } from 'commander';
import { createApiKey } from '../../services/organisation/api-keys.js';
import { createForm } from '../../services/organisation/forms.js';
import { FIRST_PURPOSE_DEFAULTS, initialise } from '../../services/organisation/setup.js';
import { printJson, withContext } from '../shared.js';
import { invalid } from '../../services/errors.js';
import { ROLES } from '../../core/admin/roles.js';
import { checkNewPassword } from '../../services/admin/passwords.js';
import { addUser, adminEmail } from '../../services/admin/users.js';
import { passwordFromStdin, registerApiKeyCommands } from './users.js';

export function registerSetup(program: Command): void {
  program
    .command('init')
    .description('set up the organisation, a first purpose (newsletter), its privacy notice and a hosted form')
    .requiredOption('--org <name>', 'legal name of the organisation (the controller)')
    .requiredOption('--address <postal address>', 'postal address, shown in every message')
    .requiredOption('--reply-to <email>', 'a working mailbox that receives replies')
    .requiredOption('--from <email>', 'from address of campaigns, at your own domain')
    .option('--kvk <number>', 'Chamber of Commerce (KvK) number, shown in footers')
    .option('--website <url>', 'the organisation’s website')
    .option('--privacy-contact <email>', 'address for privacy questions (default: the reply address)')
    .option('--dpo <contact>', 'contact of the data protection officer, when one is appointed')
    .option('--purpose <id>', 'id of the first purpose', 'newsletter')
    .option('--purpose-nl <name>', 'its name in Dutch', FIRST_PURPOSE_DEFAULTS.purpose_nl)
    .option('--purpose-en <name>', 'its name in English', FIRST_PURPOSE_DEFAULTS.purpose_en)
    .option('--description-nl <text>', 'what subscribers get, in Dutch', FIRST_PURPOSE_DEFAULTS.description_nl)
    .option('--description-en <text>', 'what subscribers get, in English', FIRST_PURPOSE_DEFAULTS.description_en)
    .option('--frequency-nl <text>', 'how often, in Dutch (shown on the form)', FIRST_PURPOSE_DEFAULTS.frequency_nl)
    .option('--frequency-en <text>', 'how often, in English', FIRST_PURPOSE_DEFAULTS.frequency_en)
    .option('--mail-provider <name:country>', 'your SMTP provider as processor, e.g. "Mailgun EU:DE"')
    .option('--recipients <none>', 'state that no one else (no processor such as a mail provider or host, no other organisation) receives the data; otherwise `org recipients <file>` later')
    .option('--transfers <none>', 'state that no data goes outside the EEA; otherwise `org transfers <file>` later')
    .option('--owner <email>', 'also create the first admin user (owner); the password is read from standard input')
    .option('--json', 'print the result as JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const s = (k: string) => o[k] as string | undefined;
      const [providerName, providerCountry] = (s('mailProvider') ?? '').split(':');
      for (const k of ['recipients', 'transfers'] as const) {
        if (s(k) !== undefined && s(k) !== 'none') throw invalid(k, `--${k} accepts only "none" here; state a list with \`consentry org ${k} <file>\` after init`);
      }
      const notice = {
        ...(providerName && providerCountry ? { mailProvider: { name: providerName, country: providerCountry } } : {}),
        ...(s('recipients') === 'none' && { recipients: 'none' as const }),
        ...(s('transfers') === 'none' && { transfers: 'none' as const }),
      };
      const ownerPassword = s('owner') ? await passwordFromStdin(`password for ${s('owner')}: `) : null;
      // Checked before anything is stored, so a refused password leaves no half set-up behind.
      if (ownerPassword !== null) checkNewPassword(ownerPassword, adminEmail(s('owner')!));
      await withContext(async (ctx) => {
        const result = await initialise(ctx.deps, {
          organisation: {
            name: s('org')!,
            postalAddress: s('address')!,
            replyTo: s('replyTo')!,
            fromAddress: s('from')!,
            ...(s('kvk') && { chamberOfCommerce: s('kvk') }),
            ...(s('website') && { website: s('website') }),
            ...(s('privacyContact') && { privacyContact: s('privacyContact') }),
            ...(s('dpo') && { dpoContact: s('dpo') }),
          },
          purpose: {
            id: s('purpose')!,
            name_nl: s('purposeNl')!,
            name_en: s('purposeEn')!,
            description_nl: s('descriptionNl')!,
            description_en: s('descriptionEn')!,
            frequency_nl: s('frequencyNl'),
            frequency_en: s('frequencyEn'),
          },
          notice,
        });
        const owner = s('owner') ? await addUser(ctx.deps, { email: s('owner')!, role: 'owner', password: ownerPassword }) : null;
        const apiKey = await createApiKey(ctx.deps, 'init');
        const base = ctx.deps.baseUrl;
        if (o.json) return printJson({ ...result, apiKey, ...(owner && { owner: owner.email, adminUrl: `${base}/admin/login` }), formUrl: `${base}/f/${result.formId}`, privacyUrl: `${base}/privacy` });
        console.log(`Set up: ${s('org')}`);
        console.log(`  form:            ${base}/f/${result.formId}`);
        console.log(`  privacy notice:  ${base}/privacy (version ${result.noticeVersion}${result.noticePublished ? ', published' : ', NOT published'})`);
        for (const m of result.missing) console.log(`  missing in notice: ${m.item} ${m.en}`);
        if (result.missing.some((m) => m.field.startsWith('recipients') || m.field.startsWith('transfers'))) {
          console.log('  state them with `consentry org recipients <file|none>` and `consentry org transfers <file|none>`, then `consentry notice publish <version>`');
        }
        console.log(`  API key:         ${apiKey}   (shown once; keep it safe)`);
        if (owner) console.log(`  admin:           ${base}/admin/login (owner ${owner.email})`);
      });
    });

  program
    .command('form')
    .description('sign-up forms')
    .command('create')
    .description('a hosted sign-up form with one unticked box per purpose and double opt-in (GDPR 7, Tw 11.7)')
    .argument('<id>', 'the form id, used in its address /f/<id> (lower-case letters, digits, dashes)')
    .requiredOption('--purposes <ids>', 'the purposes it offers, comma-separated (one box each)')
    .option('--name <text>', 'its title (default: the id)')
    .action(async (id: string, o: { purposes: string; name?: string }) => {
      await withContext(async (ctx) => {
        const boxes = o.purposes.split(',').map((p) => ({ purposeIds: [p.trim()], preTicked: false, required: false }));
        const { warnings } = await createForm(ctx.deps, { id, name: o.name ?? id, boxes });
        for (const w of warnings) console.error(`warning: ${w.message_en} [${w.source}]`);
        console.log(`form: ${ctx.deps.baseUrl}/f/${id}`);
      });
    });

  const apikey = program
    .command('apikey')
    .description('create an API key for the JSON API (shown once); `apikey list`, `apikey revoke <id>`')
    .argument('<name>', 'what the key is for')
    .option('--role <role>', `what the key may do: ${ROLES.join(', ')}`, 'owner')
    .action(async (name: string, o: { role: string }) => {
      await withContext(async (ctx) => console.log(await createApiKey(ctx.deps, name, o.role)));
    });
  registerApiKeyCommands(apikey);

  program
    .command('secret')
    .description('print the server secret (link tokens, suppression hashes): set it as CONSENTRY_SECRET for `import evidence` on a new server; its fresh data folder then keeps it')
    .action(async () => {
      await withContext(async (ctx) => {
        console.error('Keep this secret safe: with it, anyone can forge unsubscribe and confirm links.');
        console.log(ctx.deps.secret);
      });
    });
}
