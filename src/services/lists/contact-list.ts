/**
 * The contacts list for the admin app and the API: one page of contacts found by address or name, filtered by
 * purpose and status, lawful basis, source and suppression, with an opaque cursor for the next page (keyset
 * pagination, store/contact-search.ts). Or the contacts of one group of the list audit for a purpose
 * (`group`, judged by lists/audit.ts exactly as the audit counts them). Bad filter values are refused naming the
 * field.
 */
import { z } from 'zod';
import { normaliseAddress } from '../../core/address.js';
import { LAWFUL_BASES, PERMISSION_STATUSES, SOURCE_KINDS } from '../../core/vocab.js';
import { contactPage, contactsByIds } from '../../store/contact-search.js';
import { purposeById } from '../../store/purposes.js';
import type { ContactRow } from '../../store/schema.js';
import type { Clock, Data } from '../deps.js';
import { invalid } from '../errors.js';
import { AUDIT_GROUPS, auditGroupPage } from './audit.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The list's query as pages and the API send it (query-string values, empty ones ignored). */
export const contactListQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(254, 'at most 254 characters').optional()),
  purpose: z.preprocess(blankToUndefined, z.string().max(41).optional()),
  status: z.preprocess(blankToUndefined, z.enum(PERMISSION_STATUSES).optional()),
  basis: z.preprocess(blankToUndefined, z.enum(LAWFUL_BASES).optional()),
  source: z.preprocess(blankToUndefined, z.enum(SOURCE_KINDS).optional()),
  suppressed: z.preprocess(blankToUndefined, z.enum(['yes', 'no']).optional()),
  group: z.preprocess(blankToUndefined, z.enum(AUDIT_GROUPS).optional()),
  after: z.preprocess(blankToUndefined, z.string().max(300).optional()),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});
export type ContactListQuery = z.input<typeof contactListQuerySchema>;

/** One row of the list. */
export interface ContactListItem {
  id: string;
  /** The address as people write it (Unicode domain). */
  email: string;
  name: string | null;
  kind: string;
  source: string;
  sourceRef: string | null;
  /** SuppressionReason, or null when the address may be mailed at all. */
  suppression: string | null;
  createdAt: string;
}

export interface ContactList {
  items: ContactListItem[];
  /** `email` when searching by address, `audit` (contact-id order) for an audit group, else newest first. */
  order: 'email' | 'newest' | 'audit';
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

/**
 * One page of contacts.
 * @throws DomainError invalid naming the field (`status`, `purpose`, `group`, `limit`…), e.g. a status without a
 *   purpose, or an audit group together with another filter or a search
 * @example await listContactPage(deps, { q: 'anna@', limit: 20 })
 * @example await listContactPage(deps, { purpose: 'tips', group: 'no_provable_basis' })
 */
export async function listContactPage(deps: Data & { clock: Clock }, input: ContactListQuery): Promise<ContactList> {
  const parsed = contactListQuerySchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = i.path.join('.') || 'query';
    throw invalid(field, `${field}: ${i.message}`);
  }
  const f = parsed.data;
  if ((f.status || f.basis) && !f.purpose) throw invalid(f.status ? 'status' : 'basis', 'choose a purpose to filter by permission status or basis');
  if (f.purpose && !(await purposeById(deps.db, f.purpose))) throw invalid('purpose', `there is no purpose "${f.purpose}"`, 'unknown-purpose');
  if (f.group) {
    if (!f.purpose) throw invalid('group', 'choose a purpose to list a group of its audit');
    if (f.q || f.status || f.basis || f.source || f.suppressed) throw invalid('group', 'an audit group is listed on its own: leave out the search and the other filters', 'group-alone');
    const g = await auditGroupPage(deps, f.purpose, f.group, { ...(f.after && { after: f.after }), limit: f.limit });
    return { items: (await contactsByIds(deps.db, g.ids)).map(item), order: 'audit', next: g.next };
  }
  const page = await contactPage(deps.db, deps.dialect, {
    ...(f.q !== undefined && { query: f.q }),
    ...(f.purpose && { purposeId: f.purpose }),
    ...(f.status && { status: f.status }),
    ...(f.basis && { basis: f.basis }),
    ...(f.source && { source: f.source }),
    ...(f.suppressed && { suppressed: f.suppressed === 'yes' }),
    ...(f.after && { after: f.after }),
    limit: f.limit,
  });
  return { items: page.rows.map(item), order: page.order, next: page.next };
}

function item(r: ContactRow): ContactListItem {
  const a = normaliseAddress(r.email);
  const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
  return {
    id: r.id,
    email: a.ok ? a.value.display : r.email,
    name: name || null,
    kind: r.kind,
    source: r.source_kind,
    sourceRef: r.source_ref,
    suppression: r.suppression,
    createdAt: r.created_at,
  };
}
