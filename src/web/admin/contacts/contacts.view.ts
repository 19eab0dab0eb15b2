/**
 * The Contacts pages: the list (search, filters, keyset pages, add a contact) and one contact's page (profile,
 * permissions with their ledger history, relationships, deliveries with bounces and complaints, the proof, the
 * art. 15/20 download, rectification and erasure). Views of plain data; texts from contacts.texts.ts.
 */
import { mayAccess } from '../../../core/admin/roles.js';
import { CONTACT_KINDS, LAWFUL_BASES, PERMISSION_STATUSES, SOURCE_KINDS } from '../../../core/vocab.js';
import { AUDIT_GROUPS } from '../../../services/lists/audit.js';
import type { ContactList } from '../../../services/lists/contact-list.js';
import type { PurposeView } from '../../../services/organisation/purposes.js';
import type { Evidence, EvidenceEvent, EvidenceNames } from '../../../services/rights/evidence.js';
import { html, type SafeHtml } from '../../html.js';
import { askButton, errorSummary, field, type FormState, pager, postForm, selectField, table, vocabLabel, vocabOptions, when, withCode } from '../components.js';
import type { AdminCtx } from '../context.js';
import type { AdminTextKey } from '../texts.js';
import { adminPage } from '../layout.js';

const may = (a: AdminCtx, access: 'edit' | 'privacy') => !!a.session && mayAccess(a.session.role, access);

/** GET /admin/contacts */
export function contactsPage(a: AdminCtx, list: ContactList, query: Record<string, string>, purposes: PurposeView[], addState: FormState, filterError?: string): string {
  const q: FormState = { values: query, errors: {} };
  const search = html`<form method="get" action="/admin/contacts" class="card filters" role="search">
<div class="two">
${field(a, q, { name: 'q', label: a.t('contacts.query'), type: 'search', hint: a.t('contacts.queryHint') })}
${selectField(a, q, { name: 'purpose', label: a.t('contacts.purpose'), options: [{ value: '', label: a.t('contacts.any') }, ...purposes.map((p) => ({ value: p.id, label: a.lang === 'nl' ? p.name.nl : p.name.en }))] })}
${selectField(a, q, { name: 'status', label: a.t('contacts.status'), options: vocabOptions(a, 'status', PERMISSION_STATUSES, a.t('contacts.any')) })}
${selectField(a, q, { name: 'basis', label: a.t('contacts.basis'), options: vocabOptions(a, 'basis', LAWFUL_BASES, a.t('contacts.any')) })}
${selectField(a, q, { name: 'source', label: a.t('contacts.source'), options: vocabOptions(a, 'source', SOURCE_KINDS, a.t('contacts.any')) })}
${selectField(a, q, { name: 'suppressed', label: a.t('contacts.suppressed'), options: [{ value: '', label: a.t('contacts.any') }, { value: 'yes', label: a.t('contacts.onList') }, { value: 'no', label: a.t('contacts.notOnList') }] })}
${selectField(a, q, { name: 'group', label: a.t('contacts.group'), hint: a.t('contacts.groupHint'), options: [{ value: '', label: a.t('contacts.any') }, ...AUDIT_GROUPS.map((g) => ({ value: g, label: a.t(`audit.group.${g}`) }))] })}
</div>
<div class="actions"><button type="submit">${a.t('contacts.filter')}</button></div>
</form>${filterError ? html`<div class="alert" role="alert"><p>${filterError}</p></div>` : ''}`;
  const rows = table(
    a,
    [{ label: a.t('contacts.email') }, { label: a.t('contacts.name') }, { label: a.t('contacts.kind') }, { label: a.t('contacts.source') }, { label: a.t('contacts.suppressed') }, { label: a.t('contacts.added') }],
    list.items.map((c) => [html`<a href="/admin/contacts/${c.id}">${c.email}</a>`, c.name ?? '', a.t(`kind.${c.kind}` as AdminTextKey), a.t(`source.${c.source}` as AdminTextKey), c.suppression ? vocabLabel(a, 'suppression', c.suppression) : '', when(a, c.createdAt)]),
    a.t('contacts.none'),
  );
  const { after: _after, ...keep } = query;
  const add = may(a, 'edit')
    ? html`<section class="card narrow" aria-labelledby="add-contact"><h2 id="add-contact">${a.t('contacts.add')}</h2>
<p class="hint">${a.t('contacts.addIntro')}</p>
${errorSummary(a, addState)}
${postForm(a, '/admin/contacts', html`${field(a, addState, { name: 'email', label: a.t('contacts.email'), type: 'email', required: true })}
${field(a, addState, { name: 'firstName', label: a.t('contacts.firstName') })}
${field(a, addState, { name: 'lastName', label: a.t('contacts.lastName') })}
${selectField(a, addState, { name: 'kind', label: a.t('contacts.kind'), options: vocabOptions(a, 'kind', CONTACT_KINDS) })}
${selectField(a, addState, { name: 'source', label: a.t('contacts.source'), options: vocabOptions(a, 'source', SOURCE_KINDS) })}
${field(a, addState, { name: 'sourceRef', label: a.t('contacts.sourceRef'), hint: a.t('contacts.sourceRefHint') })}
<div class="actions"><button type="submit">${a.t('contacts.addSubmit')}</button></div>`)}
</section>`
    : '';
  return adminPage(
    a,
    a.t('contacts.title'),
    html`${search}<p class="muted">${a.t(list.order === 'email' ? 'contacts.orderEmail' : list.order === 'audit' ? 'contacts.orderAudit' : 'contacts.orderNewest')}</p>${rows}${pager(a, '/admin/contacts', keep, { after: list.next })}${add}`,
  );
}

function eventsTable(a: AdminCtx, events: EvidenceEvent[]): SafeHtml {
  return table(
    a,
    [{ label: '#', num: true }, { label: a.t('contact.event') }, { label: a.t('contact.when') }, { label: a.t('contact.details') }],
    events.map((e) => [
      e.seq,
      withCode(e.basis ? `${vocabLabel(a, 'event', e.type)} · ${vocabLabel(a, 'basis', e.basis)}` : vocabLabel(a, 'event', e.type), e.type),
      when(a, e.occurredAt),
      html`<details><summary>${a.t('contact.details')}</summary><pre class="snippet"><code>${JSON.stringify({ ...e.details, ...(e.personal ? { personal: e.personal } : {}), ...(e.personalErased ? { personal: 'erased' } : {}) }, null, 2)}</code></pre></details>`,
    ]),
  );
}

/** GET /admin/contacts/:id */
export function contactPage(a: AdminCtx, ev: Evidence, names: EvidenceNames, display: string, states: { rectify: FormState }): string {
  const c = ev.contact;
  const purposeName = (id: string) => names.purposes[id]?.[a.lang] ?? id;
  const campaign = (id: string) => {
    const name = names.campaigns[id];
    return name === undefined ? html`<code class="small">${id}</code>` : html`<a href="/admin/campaigns/${id}">${name}</a>`;
  };
  const profile = html`<section class="card"><h2>${a.t('contact.profile')}</h2><dl class="facts">
<dt>${a.t('contacts.name')}</dt><dd>${[c.first_name, c.last_name].filter(Boolean).join(' ')}</dd>
<dt>${a.t('contacts.kind')}</dt><dd>${a.t(`kind.${c.kind}` as AdminTextKey)}</dd>
<dt>${a.t('contacts.source')}</dt><dd>${a.t(`source.${c.source_kind}` as AdminTextKey)}${c.source_ref ? ` — ${c.source_ref}` : ''}</dd>
<dt>${a.t('contact.collected')}</dt><dd>${when(a, c.created_at)}</dd>
<dt>${a.t('contact.suppression')}</dt><dd>${c.suppression ? vocabLabel(a, 'suppression', c.suppression) : a.t('contact.notSuppressed')}</dd>
<dt>${a.t('contact.chain')}</dt><dd>${ev.chainIntact ? a.t('contact.chainOk') : html`<strong class="error-text">${a.t('contact.chainBroken')}</strong>`}</dd>
<dt>${a.t('contact.id')}</dt><dd><code>${c.id}</code></dd>
</dl>
${may(a, 'privacy')
  ? html`<p class="actions"><a href="/admin/contacts/${c.id}/proof">${a.t('contact.proof')}</a> <a href="/admin/contacts/${c.id}/export.json">${a.t('contact.exportJson')}</a> <a href="/admin/contacts/${c.id}/export.csv">${a.t('contact.exportCsv')}</a></p>`
  : ''}
</section>`;
  const permissions = html`<section class="card"><h2>${a.t('contact.permissions')}</h2>
${table(
  a,
  [{ label: a.t('contacts.purpose') }, { label: a.t('contacts.status') }, { label: a.t('contacts.basis') }, { label: a.t('contact.method') }, { label: a.t('contact.given') }, { label: a.t('contact.confirmed') }, { label: a.t('contact.withdrawn') }, { label: a.t('contact.notice') }],
  ev.permissions.map((p) => [
    withCode(purposeName(p.purpose_id), p.purpose_id),
    a.t(`status.${p.status}` as AdminTextKey),
    a.t(`basis.${p.basis}` as AdminTextKey),
    withCode(`${vocabLabel(a, 'method', p.method)} · ${a.t(`source.${p.source_kind}` as AdminTextKey)}`, p.method),
    when(a, p.given_at), when(a, p.confirmed_at), when(a, p.withdrawn_at), p.notice_version ?? '',
  ]),
)}
${ev.permissions.map((p) => html`<h3>${a.t('contact.history')}: ${purposeName(p.purpose_id)}</h3>${eventsTable(a, p.history)}`)}
${ev.generalEvents.length ? html`<h3>${a.t('contact.general')}</h3>${eventsTable(a, ev.generalEvents)}` : ''}
</section>`;
  const relationships = html`<section class="card"><h2>${a.t('contact.relationships')}</h2><dl class="facts">
<dt>${a.t('contact.employee')}</dt><dd>${c.employee ? a.t('common.yes') : a.t('common.no')}</dd>
<dt>${a.t('contact.designated')}</dt><dd>${c.designated_for_offers ? `${a.t('common.yes')}${c.designation_evidence ? ` — ${c.designation_evidence}` : ''}` : a.t('common.no')}</dd>
</dl>
<h3>${a.t('contact.purchases')}</h3>
${table(a, [{ label: a.t('contact.product') }, { label: a.t('contact.when') }, { label: a.t('contact.optOutOffered') }], ev.purchases.map((p) => [p.productCategory, when(a, p.purchasedAt), vocabLabel(a, 'optOut', p.optOutOffered)]))}
</section>`;
  const deliveries = html`<section class="card"><h2>${a.t('contact.deliveries')}</h2>
${table(a, [{ label: a.t('contact.campaign') }, { label: a.t('contact.state') }, { label: a.t('contacts.basis') }, { label: a.t('contact.sent') }], ev.deliveries.map((d) => [campaign(d.campaign_id), vocabLabel(a, 'delivery', d.state), d.basis ? vocabLabel(a, 'basis', d.basis) : '', when(a, d.sent_at)]))}
${ev.deliveryEvents.length
  ? html`<h3>${a.t('contact.events')}</h3>${table(a, [{ label: a.t('contact.event') }, { label: a.t('contact.when') }, { label: a.t('contact.details') }], ev.deliveryEvents.map((e) => [vocabLabel(a, 'deliveryEvent', e.kind), when(a, e.occurred_at), [e.source, e.status, e.diagnostic].filter(Boolean).join(' · ')]))}`
  : ''}
</section>`;
  const rights = may(a, 'privacy')
    ? html`<section class="card narrow"><h2>${a.t('contact.rectify')}</h2>${errorSummary(a, states.rectify)}
${postForm(a, `/admin/contacts/${c.id}/rectify`, html`${field(a, states.rectify, { name: 'firstName', label: a.t('contacts.firstName') })}${field(a, states.rectify, { name: 'lastName', label: a.t('contacts.lastName') })}<div class="actions"><button type="submit">${a.t('common.save')}</button></div>`)}
</section>
<section class="card narrow"><h2>${a.t('contact.erase')}</h2><p>${a.t('contact.eraseIntro')}</p>
${askButton(`/admin/contacts/${c.id}/erase`, a.t('contact.erase'))}
</section>`
    : '';
  return adminPage(a, a.t('contact.title', { email: display }), html`${profile}${permissions}${relationships}${deliveries}${rights}`);
}
