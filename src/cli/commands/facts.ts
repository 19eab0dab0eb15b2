/**
 * Facts the send gate decides on, from the command line: `consentry contacts add`, `consentry facts
 * show|kind|lead|purchase|employee|designate|grant`, `consentry settings show|set`, and
 * `consentry campaign expire <id>` for re-permission non-responders (F1). Each command calls one use case.
 */
import type { Command } from 'commander';
import { isMessageCategory } from '../../core/vocab.js';
import { storedFacts } from '../../services/consent/facts.js';
import { grantPermission } from '../../services/consent/grant.js';
import { addContact, addPurchase, designateForOffers, findContact, setDecisionSettings, setEmployee, updateContactFacts, type ContactInput } from '../../services/consent/relationships.js';
import { expireNonResponders } from '../../services/campaigns/repermission.js';
import { invalid } from '../../services/errors.js';
import { getDecisionSettings } from '../../store/settings.js';
import { printJson, withContext } from '../shared.js';

/** The command group `name`, created when no other module registered it yet. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

const SETTING_KEYS: Record<string, 'customerExceptionMonths'> = { 'customer-exception-months': 'customerExceptionMonths' };

export function registerFacts(program: Command): void {
  group(program, 'contacts', 'contacts and their evidence')
    .command('add')
    .description('add a contact with its kind and source; gives no permission (only an opt-in or `facts grant` does)')
    .argument('<email>', 'the address')
    .requiredOption('--source <kind>', 'form | import | customer_records | third_party | public_profile | trade_fair | personal_contact | api')
    .option('--source-ref <text>', 'where and when: a fair and its date, a file, a URL, the third party')
    .option('--kind <kind>', 'person | organisation | sole_trader | unknown')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .option('--lead', 'a prospect in the sales pipeline (never opted in)')
    .option('--json', 'print the contact as JSON')
    .action(async (email: string, o: Record<string, string | boolean | undefined>) => {
      await withContext(async (ctx) => {
        const input: ContactInput = { email, source: o.source as ContactInput['source'] };
        if (o.sourceRef) input.sourceRef = String(o.sourceRef);
        if (o.kind) input.kind = o.kind as ContactInput['kind'];
        if (o.firstName) input.firstName = String(o.firstName);
        if (o.lastName) input.lastName = String(o.lastName);
        if (o.lead) input.lead = true;
        const r = await addContact(ctx.deps, input);
        if (o.json) printJson(r);
        else console.log(`${r.created ? 'added' : 'updated'} ${r.contact.id}`);
      });
    });

  const facts = program.command('facts').description('relationships and other facts that decide who may be mailed');
  facts
    .command('show')
    .description('the facts the send gate sees for a contact and a message, as JSON (input for `consentry decide`)')
    .argument('<email-or-id>')
    .requiredOption('--purpose <id>', 'the purpose of the message')
    .option('--category <category>', 'message category', 'purpose_marketing')
    .option('--product-category <name>', 'product category promoted (customer marketing)')
    .action(async (who: string, o: { purpose: string; category: string; productCategory?: string }) => {
      const category = o.category;
      if (!isMessageCategory(category)) throw invalid('category', `category: unknown message category "${category}"`);
      await withContext(async (ctx) => {
        const c = await findContact(ctx.deps, who);
        const message = { category, purposeId: o.purpose, ...(o.productCategory ? { productCategory: o.productCategory } : {}) };
        printJson({ facts: await storedFacts(ctx.deps.db, ctx.deps.secret, c.id, message, await getDecisionSettings(ctx.deps.db)) });
      });
    });
  facts
    .command('kind')
    .description('set the kind of contact: person | organisation | sole_trader | unknown')
    .argument('<email-or-id>')
    .argument('<kind>')
    .option('--evidence <where>', 'required to make a person or sole trader an organisation: where that shows (e.g. the KvK entry)')
    .action(async (who: string, kind: string, o: { evidence?: string }) => {
      await withContext(async (ctx) =>
        console.log((await updateContactFacts(ctx.deps, who, { kind: kind as 'person', ...(o.evidence ? { kindEvidence: o.evidence } : {}) })).kind),
      );
    });
  facts
    .command('lead')
    .description('mark a contact as a lead (prospect who never opted in), or --off')
    .argument('<email-or-id>')
    .option('--off', 'no longer a lead')
    .action(async (who: string, o: { off?: boolean }) => {
      await withContext(async (ctx) => void (await updateContactFacts(ctx.deps, who, { lead: !o.off })));
    });
  facts
    .command('purchase')
    .description('record a purchase (customer exception, Tw 11.7(3))')
    .argument('<email-or-id>')
    .requiredOption('--category <name>', 'product category')
    .requiredOption('--date <date>', 'date of the sale, e.g. 2026-03-31')
    .requiredOption('--opt-out <how>', 'how an opt-out was offered when the address was collected: clear | terms_only | none')
    .action(async (who: string, o: { category: string; date: string; optOut: string }) => {
      await withContext(async (ctx) => console.log(await addPurchase(ctx.deps, who, { productCategory: o.category, date: o.date, optOut: o.optOut as 'clear' })));
    });
  facts
    .command('employee')
    .description('mark a contact as an employee, at their work address (default) or a private one')
    .argument('<email-or-id>')
    .option('--work-address', 'this is their work address (the default, except at a free-mail domain such as gmail.com)')
    .option('--private-address', 'this is a private address: staff mail to it needs consent (the default at a free-mail domain)')
    .option('--off', 'no longer an employee')
    .action(async (who: string, o: { workAddress?: boolean; privateAddress?: boolean; off?: boolean }) => {
      if (o.workAddress && o.privateAddress) throw invalid('workAddress', 'give --work-address or --private-address, not both');
      const workAddress = o.workAddress ? true : o.privateAddress ? false : undefined;
      const { contact, byDomain } = await withContext((ctx) => setEmployee(ctx.deps, who, { employee: !o.off, ...(workAddress !== undefined && { workAddress }) }));
      if (!contact.employee) console.log(`${contact.email}: no longer an employee`);
      else if (contact.employee_work_address) console.log(`${contact.email}: employee, at their work address (staff mail allowed without consent)`);
      else console.log(`${contact.email}: employee, at a private address (staff mail needs consent)${byDomain ? `; ${contact.email.split('@')[1]} is a free-mail domain — if it is their work address, run again with --work-address` : ''}`);
    });
  facts
    .command('designate')
    .description("record that an organisation published this address for receiving offers (Tw 11.7(1)(b))")
    .argument('<email-or-id>')
    .requiredOption('--evidence <url>', 'where the organisation published it')
    .action(async (who: string, o: { evidence: string }) => {
      await withContext(async (ctx) => void (await designateForOffers(ctx.deps, who, { evidence: o.evidence })));
    });
  facts
    .command('grant')
    .description('add contacts to a purpose; refused unless each has a consent event for it, or third-party proof names you and it')
    .argument('<purpose>', 'the purpose')
    .argument('<contacts...>', 'addresses or ids')
    .option('--via <how>', 'bulk_action | automation | api | import', 'bulk_action')
    .option('--third-party <name>', 'the party that collected the consent')
    .option('--evidence-ref <ref>', 'where the proof is kept')
    .option('--names-us', 'the proof names this organisation as recipient')
    .option('--names-purpose', 'the proof names this purpose')
    .option('--collected-at <time>', 'when the consent was given to the third party (ISO time)')
    .option('--json', 'print as JSON')
    .action(async (purposeId: string, contacts: string[], o: Record<string, string | boolean | undefined>) => {
      await withContext(async (ctx) => {
        const evidence = o.thirdParty
          ? { kind: 'third_party' as const, party: String(o.thirdParty), ref: String(o.evidenceRef ?? ''), namesOrganisation: !!o.namesUs, namesPurpose: !!o.namesPurpose, collectedAt: String(o.collectedAt ?? '') }
          : undefined;
        const r = await grantPermission(ctx.deps, { purposeId, via: o.via as 'bulk_action', contacts, ...(evidence && { evidence }) });
        if (o.json) printJson(r);
        else console.log(`granted ${r.granted}, already had consent ${r.unchanged}, kept unsubscribed ${r.keptUnsubscribed}`);
      });
    });

  const settings = group(program, 'settings', 'settings that change decisions');
  settings.command('show').description('settings that change decisions').action(async () => {
    await withContext(async (ctx) => printJson(await getDecisionSettings(ctx.deps.db)));
  });
  settings
    .command('set')
    .description('change a setting: customer-exception-months <n>')
    .argument('<key>')
    .argument('<value>')
    .action(async (key: string, value: string) => {
      const k = SETTING_KEYS[key];
      if (!k) throw invalid('key', `unknown setting "${key}"; known: ${Object.keys(SETTING_KEYS).join(', ')}`);
      const n = Number(value);
      await withContext(async (ctx) => printJson(await setDecisionSettings(ctx.deps, { [k]: Number.isInteger(n) ? n : value } as { customerExceptionMonths: number })));
    });

  group(program, 'campaign', 'create, preview and send campaigns')
    .command('expire')
    .description('after a re-permission deadline: end the permission of everyone who did not renew (F1)')
    .argument('<id>', 'the re-permission campaign')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        const r = await expireNonResponders(ctx.deps, id);
        console.log(`expired ${r.expired}, renewed ${r.renewed}`);
      });
    });
}
