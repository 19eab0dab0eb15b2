/**
 * One campaign's page (its details, what can be done in its status, the follow-up figures with the sends over
 * time as a chart) and its audience preview (allowed and blocked contacts grouped by reason, with the
 * explanation and the legal source). Plain data in, HTML out; no queries here.
 */
import { legalSource } from '../../legal-source.js';
import { mayAccess } from '../../../core/admin/roles.js';
import { displayAddress } from '../../../core/address.js';
import { REASONS, isReasonCode } from '../../../core/policy/reasons.js';
import type { AudienceGroupContacts } from '../../../services/campaigns/audience.js';
import type { Preview } from '../../../services/campaigns/campaigns.js';
import type { CampaignProgress } from '../../../services/campaigns/control.js';
import type { CampaignFigures } from '../../../services/campaigns/figures.js';
import type { CampaignRow } from '../../../store/schema.js';
import { html, type SafeHtml } from '../../html.js';
import { askButton, errorSummary, field, type FormState, pager, postForm, table, when } from '../components.js';
import { timeChart } from '../components/chart.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';
import type { AdminTextKey } from '../texts.js';

/** What the campaign page shows. */
export interface CampaignDetail {
  campaign: CampaignRow;
  /** The purpose's name in the page's language (the id when the purpose is gone). */
  purposeName: string;
  /** The organisation's time zone, and the scheduled start in it ("2026-12-01 09:00 +01:00") while the status is scheduled. */
  timeZone: string;
  scheduledLocal: string | null;
  progress: CampaignProgress;
  figures: CampaignFigures;
}

const mayEdit = (a: AdminCtx) => !!a.session && mayAccess(a.session.role, 'edit');
const base = (c: { id: string }) => `/admin/campaigns/${encodeURIComponent(c.id)}`;

/** A reason code's explanation in the page's language and its legal sources ('' for an unknown code). */
function reasonOf(a: AdminCtx, code: string): { text: string; sources: string } {
  if (!isReasonCode(code)) return { text: code, sources: '' };
  const r = REASONS[code];
  return { text: a.lang === 'nl' ? r.nl : r.en, sources: legalSource(a.lang, r.sources.join('; ')) };
}

/** A button in a POST form of its own. */
const button = (a: AdminCtx, action: string, label: string, cls = ''): SafeHtml =>
  postForm(a, action, html`<button type="submit"${cls ? html` class="${cls}"` : ''}>${label}</button>`);

/** Why the campaign is paused, or the last relay error after a resume. */
function pauseNotice(a: AdminCtx, c: CampaignRow): SafeHtml | string {
  if (c.status === 'paused' && c.paused_reason) {
    const relay = /^relay failure: ?/.exec(c.paused_reason);
    return html`<p class="warning" role="status">${
      relay
        ? a.t('campaign.pausedByRelay', { when: when(a, c.paused_at), reply: c.paused_reason.slice(relay[0].length) })
        : a.t('campaign.pausedByOperator', { when: when(a, c.paused_at) })
    }</p>`;
  }
  return c.last_relay_error ? html`<p class="muted">${a.t('campaign.lastRelayError', { when: when(a, c.last_relay_error_at), reply: c.last_relay_error })}</p>` : '';
}

/** The schedule form (date and time in the organisation's zone). */
function scheduleForm(a: AdminCtx, d: CampaignDetail, state: FormState): SafeHtml {
  const title = d.campaign.status === 'scheduled' ? a.t('campaign.rescheduleTitle') : a.t('campaign.scheduleTitle');
  return html`<section class="card narrow" aria-labelledby="schedule-title">
<h3 id="schedule-title">${title}</h3>
<p class="hint">${a.t('campaign.scheduleHint', { zone: d.timeZone })}</p>
${postForm(
  a,
  `${base(d.campaign)}/schedule`,
  html`<div class="two">
${field(a, state, { name: 'date', label: a.t('campaign.date'), type: 'date', required: true, hint: a.t('campaign.dateHint') })}
${field(a, state, { name: 'time', label: a.t('campaign.time'), type: 'time', required: true, hint: a.t('campaign.timeHint') })}
</div>
<div class="actions"><button type="submit">${a.t('campaign.scheduleSubmit')}</button></div>`,
)}
</section>`;
}

/** What can be done in the campaign's status (editors and owners). */
function actions(a: AdminCtx, d: CampaignDetail, state: FormState): SafeHtml {
  const c = d.campaign;
  const to = base(c);
  if (!mayEdit(a)) return html`<p class="muted">${a.t('campaign.viewerNote')}</p>`;
  if (c.translation_of) return html`<p>${a.t('campaign.translationNote')}</p>`;
  let body: SafeHtml;
  switch (c.status) {
    case 'draft':
      body = html`<div class="actions">${askButton(`${to}/send`, a.t('campaign.sendNow'), '')}</div>${scheduleForm(a, d, state)}`;
      break;
    case 'scheduled':
      body = html`<div class="actions">${askButton(`${to}/send`, a.t('campaign.sendNow'), '')}${button(a, `${to}/unschedule`, a.t('campaign.unschedule'), 'secondary')}</div>${scheduleForm(a, d, state)}`;
      break;
    case 'sending':
      body = html`<div class="actions">${button(a, `${to}/pause`, a.t('campaign.pause'), 'secondary')}${askButton(`${to}/cancel`, a.t('campaign.cancel'))}</div>
<p class="hint">${a.t('campaign.sendNewHint')}</p><div class="actions">${askButton(`${to}/send-new`, a.t('campaign.sendNew'), 'secondary')}</div>`;
      break;
    case 'paused':
      body = html`<div class="actions">${button(a, `${to}/resume`, a.t('campaign.resume'))}${askButton(`${to}/cancel`, a.t('campaign.cancel'))}</div>`;
      break;
    case 'sent':
      body = html`<p class="hint">${a.t('campaign.sendNewHint')}</p><div class="actions">${askButton(`${to}/send-new`, a.t('campaign.sendNew'), '')}</div>`;
      break;
    default:
      body = html`<p class="muted">${a.t('campaign.noActions')}</p>`;
  }
  return body;
}

/** The figures: counts, blocked by reason, clicks per link and the chart. */
function figuresSection(a: AdminCtx, d: CampaignDetail): SafeHtml {
  const f = d.figures;
  const stat = (key: AdminTextKey, n: number) => html`<div class="card"><div class="label">${a.t(key)}</div><div class="stat">${n}</div></div>`;
  const blocked = Object.entries(f.blockedBy)
    .sort((x, y) => y[1] - x[1])
    .map(([code, n]) => {
      const r = reasonOf(a, code);
      return [html`${r.text}<br><code class="small">${code}</code>`, r.sources, n];
    });
  const clicks = f.clicks.counting
    ? html`<p class="muted">${a.t('campaign.clicksNote')}</p>${table(
        a,
        [{ label: a.t('campaign.link') }, { label: a.t('campaign.count'), num: true }],
        f.clicks.links.map((l) => [html`<span class="code">${l.url}</span>`, l.clicks]),
      )}`
    : html`<p class="muted">${a.t('campaign.clicksOff')}</p>`;
  const s = f.sendsOverTime;
  const chart =
    s.series.length === 0
      ? html`<p class="muted">${a.t('campaign.nothingSent')}</p>`
      : timeChart(a, {
          title: a.t(s.unit === 'hour' ? 'campaign.sendsPerHour' : 'campaign.sendsPerDay', { zone: s.timeZone }),
          labels: s.series.map((p) => p.at),
          series: [{ name: a.t('campaign.sent'), values: s.series.map((p) => p.sent) }],
          labelHeading: a.t(s.unit === 'hour' ? 'campaign.hour' : 'campaign.day'),
          numbersLabel: a.t('campaign.numbers'),
        });
  return html`<section aria-labelledby="figures">
<h2 id="figures">${a.t('campaign.figures')}</h2>
<p class="muted">${a.t('campaign.figuresNote')}</p>
<div class="grid stats">
${stat('campaign.queued', f.queued)}${stat('campaign.sent', f.sent)}${stat('campaign.blocked', f.blocked)}${stat('campaign.failed', f.failed)}
${stat('campaign.hardBounces', f.hardBounces)}${stat('campaign.softBounces', f.softBounces)}${stat('campaign.complaints', f.complaints)}${stat('campaign.unsubscribes', f.unsubscribes)}
</div>
<h3>${a.t('campaign.sendsOverTime')}</h3>
${chart}
<h3>${a.t('campaign.blockedBy')}</h3>
${table(a, [{ label: a.t('campaign.reason') }, { label: a.t('campaign.source') }, { label: a.t('campaign.count'), num: true }], blocked)}
<h3>${a.t('campaign.clicks')}</h3>
${clicks}
</section>`;
}

/**
 * The campaign's page.
 * @param state the schedule form's values and errors, or an error of another action (formError)
 */
export function campaignPage(a: AdminCtx, d: CampaignDetail, state: FormState): string {
  const c = d.campaign;
  const p = d.progress;
  const progress =
    c.status === 'sending' || c.status === 'paused'
      ? html`<p>${a.t('campaign.progress', { done: p.done, total: p.total })}${
          p.etaSeconds !== null ? html` · ${a.t('campaign.rate', { rate: p.ratePerSecond, minutes: Math.ceil(p.etaSeconds / 60) })}` : ''
        }</p><progress max="${p.total}" value="${p.done}" aria-label="${a.t('campaign.progress', { done: p.done, total: p.total })}"></progress>`
      : '';
  const facts = html`<dl class="facts">
<dt>${a.t('campaign.status')}</dt><dd><span class="badge">${a.t(`campaigns.status.${c.status}` as AdminTextKey)}</span></dd>
<dt>${a.t('campaign.subject')}</dt><dd>${c.subject}</dd>
<dt>${a.t('campaign.purpose')}</dt><dd>${d.purposeName}</dd>
<dt>${a.t('campaign.category')}</dt><dd>${a.t(`campaign.category.${c.category}` as AdminTextKey)}</dd>
<dt>${a.t('campaign.language')}</dt><dd>${a.t(`campaign.lang.${c.language === 'en' ? 'en' : 'nl'}`)}</dd>
${c.translation_of ? html`<dt>${a.t('campaign.translationOf')}</dt><dd><a href="/admin/campaigns/${c.translation_of}">${c.translation_of}</a></dd>` : ''}
${d.scheduledLocal && d.campaign.scheduled_at ? html`<dt>${a.t('campaign.scheduledAt')}</dt><dd>${when(a, d.campaign.scheduled_at)} (${d.timeZone})</dd>` : ''}
${c.started_at ? html`<dt>${a.t('campaign.startedAt')}</dt><dd>${when(a, c.started_at)}</dd>` : ''}
${c.finished_at ? html`<dt>${a.t('campaign.finishedAt')}</dt><dd>${when(a, c.finished_at)}</dd>` : ''}
</dl>`;
  return adminPage(
    a,
    c.name,
    html`<p><a href="/admin/campaigns">← ${a.t('campaign.back')}</a></p>
${pauseNotice(a, c)}
${state.formError ? errorSummary(a, state) : ''}
<section class="card" aria-labelledby="facts">
<h2 id="facts">${a.t('campaign.facts')}</h2>
${facts}
${progress}
<p><a href="${base(c)}/audience">${a.t('campaign.audienceLink')}</a></p>
<p><a href="${base(c)}/edit">${a.t('campaigns.editLink')}</a></p>
</section>
<section aria-labelledby="actions">
<h2 id="actions">${a.t('campaign.actions')}</h2>
${actions(a, d, state)}
</section>
${figuresSection(a, d)}`,
  );
}

/** What the audience page shows. */
export interface AudienceView {
  campaign: CampaignRow;
  preview: Preview;
  groups: AudienceGroupContacts[];
  /** Set when one group is shown page by page (`?reason=`). */
  reason: string | null;
  /** The page's `after` cursor (one group only). */
  after: string | null;
}

/**
 * The audience preview: counts, then each group (allowed first) with its explanation, legal source and contacts.
 * With `reason`, only that group, a page at a time.
 */
export function audiencePage(a: AdminCtx, v: AudienceView): string {
  const c = v.campaign;
  const to = `${base(c)}/audience`;
  const p = v.preview;
  const counts: Array<{ code: string; allowed: boolean; count: number }> = [
    ...Object.entries(p.allowedBy).map(([code, count]) => ({ code, allowed: true, count })),
    ...Object.entries(p.blockedBy).map(([code, count]) => ({ code, allowed: false, count })),
  ].filter((g) => v.reason === null || g.code === v.reason);
  const byCode = new Map(v.groups.map((g) => [g.code, g]));
  const group = (g: { code: string; allowed: boolean; count: number }) => {
    const r = reasonOf(a, g.code);
    const found = byCode.get(g.code);
    const contacts = found?.contacts ?? [];
    const rest = g.count - contacts.length;
    const list = table(
      a,
      [{ label: a.t('audience.email') }, { label: a.t('audience.name') }],
      contacts.map((x) => [html`<a href="/admin/contacts/${encodeURIComponent(x.id)}">${displayAddress(x.email)}</a>`, x.name ?? '']),
      a.t('audience.none'),
    );
    const more =
      v.reason === null
        ? rest > 0
          ? html`<p>${a.t('audience.more', { count: rest })} · <a href="${to}?reason=${encodeURIComponent(g.code)}">${a.t('audience.showAll', { count: g.count })}</a></p>`
          : ''
        : pager(a, to, { reason: g.code }, { after: found?.next ?? null });
    return html`<section class="card" aria-labelledby="g-${g.code}">
<h3 id="g-${g.code}">${r.text} · ${a.t('audience.group', { count: g.count })}</h3>
<p class="muted"><code class="small">${g.code}</code>${r.sources ? html` · ${a.t('audience.source', { sources: r.sources })}` : ''}</p>
${list}
${more}
</section>`;
  };
  const allowed = counts.filter((g) => g.allowed).sort((x, y) => y.count - x.count);
  const blocked = counts.filter((g) => !g.allowed).sort((x, y) => y.count - x.count);
  // Every group at a glance, so that none is missed below a long one; the counts add up to the summary.
  const overview = (gs: typeof counts) =>
    html`<ul class="groups">${gs.map((g) => html`<li><a href="#g-${g.code}">${reasonOf(a, g.code).text}</a> · ${a.t('audience.group', { count: g.count })}</li>`)}</ul>`;
  const missing =
    p.missingVariables.length > 0 && v.reason === null
      ? html`<section class="warning" aria-labelledby="missing"><h2 id="missing">${a.t('audience.missing')}</h2>${p.missingVariables.map(
          (m) => html`<p>${a.t('audience.missingLine', { count: m.count, variable: m.variable, examples: m.examples.map((e) => displayAddress(e.email)).join(', '), fix: `{{ ${m.variable} | default: "…" }}` })}</p>`,
        )}</section>`
      : '';
  return adminPage(
    a,
    a.t('audience.title', { name: c.name }),
    html`<p><a href="${base(c)}">← ${c.name}</a>${v.reason !== null ? html` · <a href="${to}">${a.t('audience.backToAll')}</a>` : ''}</p>
<p>${a.t('audience.intro')}</p>
<p><strong>${a.t('audience.summary', { total: p.total, allowed: p.allowed, blocked: p.blocked })}</strong></p>
${v.reason === null ? html`<nav aria-label="${a.t('audience.overview')}">${allowed.length > 0 ? html`<h2>${a.t('audience.allowed')}</h2>${overview(allowed)}` : ''}${blocked.length > 0 ? html`<h2>${a.t('audience.blocked')}</h2>${overview(blocked)}` : ''}</nav>` : ''}
${missing}
${allowed.length > 0 ? html`<h2>${a.t('audience.allowed')}</h2>${allowed.map(group)}` : ''}
${blocked.length > 0 ? html`<h2>${a.t('audience.blocked')}</h2>${blocked.map(group)}` : ''}`,
  );
}
