/**
 * `consentry contacts list|show`: contacts and the evidence behind each permission.
 */
import type { Command } from 'commander';
import { normaliseAddress } from '../../core/address.js';
import { contactEvidence, type Evidence, type EvidenceEvent } from '../../services/rights/evidence.js';
import { suppressionHash } from '../../core/suppression.js';
import { contactByEmail, countContacts } from '../../store/contacts.js';
import { listContactPage } from '../../services/lists/contact-list.js';
import { suppressionOf } from '../../store/suppressions.js';
import type { Data } from '../../services/deps.js';
import { printJson, printTable, terminalSafe, withContext } from '../shared.js';

const display = (email: string) => {
  const a = normaliseAddress(email);
  return a.ok ? a.value.display : email;
};

/**
 * One ledger event as a line: `#seq occurredAt type how — who`, where `how` names the form, notice, text shown or
 * the import with its file, line and evidence reference, and `who` the recorded IP and user agent.
 */
export function eventLine(ev: EvidenceEvent): string {
  const d = ev.details;
  const origin = d.origin as { system?: string; file?: string; line?: number; evidenceRef?: string } | undefined;
  const from = origin?.file && `from ${origin.system ?? ''} ${origin.file}:${origin.line ?? '?'}`.replace('  ', ' ');
  const bits = [
    d.method, d.formId && `form ${d.formId}`, d.channel && `via ${d.channel}`, d.noticeVersion && `notice v${d.noticeVersion}`, d.language,
    d.textShown && `text "${d.textShown}"`, d.importId && `import ${d.importId}`, from, origin?.evidenceRef && `evidence "${origin.evidenceRef}"`, d.source,
  ].filter(Boolean).join(', ');
  const who = ev.personal
    ? Object.entries(ev.personal).filter(([k]) => k !== 'email').map(([k, v]) => `${k} ${v}`).join(', ')
    : ev.personalErased ? 'personal details erased' : '';
  return `#${ev.seq} ${ev.occurredAt} ${ev.type.padEnd(9)} ${bits}${who ? ` — ${who}` : ''}`;
}

/**
 * The suppression reason of an address that has no contact (erased, or imported as an opt-out only): then only the
 * keyed hash is kept, which is all there is to show (GDPR 17(1), 21(3)).
 * @param who an address or a contact id, as typed
 * @returns the reason, or null when `who` is no suppressed address or a contact exists for it
 */
export async function suppressedOnly(deps: Pick<Data, 'db'> & { secret: string }, who: string): Promise<string | null> {
  const address = normaliseAddress(who);
  if (!address.ok) return null;
  const suppressed = await suppressionOf(deps.db, suppressionHash(deps.secret, address.value.address));
  return suppressed && !(await contactByEmail(deps.db, address.value.address)) ? suppressed : null;
}

/** What `contacts show` and `proof` say for an address known only as a suppression. */
export const suppressedOnlyLine = (who: string, reason: string) =>
  `no contact for ${who}; the address is on the suppression list (${reason}): it is not mailed unless the person subscribes again themselves`;

/** An event outside any permission, one line: `#seq occurredAt type (all purposes) {details}`. */
export const generalEventLine = (ev: EvidenceEvent) =>
  `#${ev.seq} ${ev.occurredAt} ${ev.type} (${ev.purposeId ? `purpose ${ev.purposeId}, no permission` : 'all purposes'}) ${JSON.stringify(ev.details)}`;

function printEvidence(e: Evidence): void {
  const out = (line: string) => console.log(terminalSafe(line));
  const c = e.contact;
  out(`${display(c.email)}  (id ${c.id})`);
  out(`  name: ${[c.first_name, c.last_name].filter(Boolean).join(' ') || '-'}   kind: ${c.kind}   source: ${c.source_kind}${c.source_ref ? ` (${c.source_ref})` : ''}`);
  if (c.suppression) out(`  SUPPRESSED: ${c.suppression}`);
  for (const p of e.permissions) {
    out(`\n  purpose ${p.purpose_id}: ${p.status} — basis ${p.basis}, method ${p.method}, source ${p.source_kind}`);
    out(`    given ${p.given_at ?? '-'}   confirmed ${p.confirmed_at ?? '-'}   withdrawn ${p.withdrawn_at ?? '-'}   notice v${p.notice_version ?? '-'}`);
    for (const ev of p.history) out(`    ${eventLine(ev)}`);
  }
  for (const b of e.purchases) out(`\n  purchase: ${b.productCategory} on ${b.purchasedAt.slice(0, 10)} (opt-out offered: ${b.optOutOffered})`);
  for (const ev of e.generalEvents) out(`\n  ${generalEventLine(ev)}`);
  if (e.deliveries.length > 0) {
    out('\n  deliveries:');
    for (const d of e.deliveries) {
      out(`    campaign ${d.campaign_id}: ${d.state} ${d.reasons}${d.sent_at ? ` at ${d.sent_at}` : ''}`);
      for (const ev of e.deliveryEvents.filter((x) => x.delivery_id === d.id)) {
        out(`      ${ev.kind} at ${ev.occurred_at} via ${ev.source}${ev.status ? ` ${ev.status}` : ''}${ev.suppression ? ` → suppressed (${ev.suppression})` : ''}${ev.diagnostic ? `: ${ev.diagnostic}` : ''}`);
      }
    }
  }
  out(`\n  ledger chain for this person: ${e.chainIntact ? 'intact' : 'BROKEN'}`);
}

export function registerContacts(program: Command): void {
  const contacts = program.command('contacts').description('contacts and their evidence');
  contacts
    .command('list')
    .description('contacts, newest first; with --query by address or name in address order')
    .option('--query <text>', 'the start of the address, or of the first or last name')
    .option('--purpose <id>', 'only contacts with a permission for this purpose')
    .option('--status <status>', 'with --purpose: pending, active, withdrawn, expired or objected')
    .option('--basis <code>', 'with --purpose: the lawful basis (A6-1-a … A6-1-f)')
    .option('--source <kind>', 'where the address came from (form, import, trade_fair, …)')
    .option('--suppressed <yes|no>', 'only suppressed addresses, or only those not suppressed')
    .option('--group <group>', 'with --purpose alone: a group of the list audit (mailable, weak_proof, blocked_documented, needs_repermission, pending, opted_out, no_provable_basis, no_permission)')
    .option('--after <cursor>', 'the cursor printed under the previous page')
    .option('--limit <n>', 'how many (1–200)', '50')
    .option('--json', 'print as JSON')
    .action(async (o: { query?: string; purpose?: string; status?: string; basis?: string; source?: string; suppressed?: string; group?: string; after?: string; limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const page = await listContactPage(ctx.deps, { q: o.query, purpose: o.purpose, status: o.status as never, basis: o.basis as never, source: o.source as never, suppressed: o.suppressed as never, group: o.group as never, after: o.after, limit: o.limit });
        if (o.json) return printJson(page);
        const total = await countContacts(ctx.deps.db);
        console.log(o.query ? `${page.items.length} shown of ${total} contacts (query "${o.query}")` : `${page.items.length} shown of ${total} contacts`);
        printTable(page.items.map((c) => ({ email: c.email, name: c.name ?? '', kind: c.kind, source: c.source, suppressed: c.suppression ?? '' })));
        if (page.next) console.log(`more: --after '${page.next}'`);
      });
    });
  contacts
    .command('show')
    .description('one contact with every permission and the evidence behind it (GDPR 7(1))')
    .argument('<email-or-id>', 'address or contact id')
    .option('--json', 'print as JSON')
    .action(async (who: string, o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const suppressed = await suppressedOnly(ctx.deps, who);
        if (suppressed) {
          if (o.json) return printJson({ contact: null, suppression: suppressed });
          return console.log(suppressedOnlyLine(who, suppressed));
        }
        const e = await contactEvidence(ctx.deps, who);
        if (o.json) printJson(e);
        else printEvidence(e);
      });
    });
}
