/**
 * The Webhooks pages (owners): the endpoints with their events and last message, the form to add one, the page
 * that shows a new endpoint's signing secret once, and one endpoint's recent messages. Views of plain data
 * (services/webhooks/endpoints.ts); texts in webhooks.texts.ts.
 */
import { WEBHOOK_EVENTS } from '../../../core/webhooks.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../../services/webhooks/endpoints.js';
import { html, type SafeHtml } from '../../html.js';
import { askButton, checkboxGroup, errorSummary, field, type FormState, postForm, table, when } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';
import type { AdminTextKey } from '../texts.js';

/** An endpoint with its newest message, for the list. */
export interface EndpointRow {
  endpoint: WebhookEndpoint;
  last: WebhookDelivery | null;
}

const eventName = (a: AdminCtx, e: string): string => {
  const key = `webhooks.event.${e}`;
  return (WEBHOOK_EVENTS as readonly string[]).includes(e) ? a.t(key as AdminTextKey) : e;
};

/** A message's state in words, with the HTTP status or the error of its last attempt. */
function stateOf(a: AdminCtx, d: WebhookDelivery): SafeHtml {
  const answer = d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.lastAttemptAt ? a.t('webhooks.noAnswer') : '';
  return html`<span class="state-${d.state}">${a.t(`webhooks.state.${d.state}`)}</span>${answer ? html` · ${answer}` : ''}`;
}

/** GET /admin/webhooks, and again with the add form's errors. */
export function webhooksPage(a: AdminCtx, rows: EndpointRow[], state: FormState): string {
  const list = table(
    a,
    [{ label: a.t('webhooks.url') }, { label: a.t('webhooks.events') }, { label: a.t('webhooks.last') }, { label: '' }],
    rows.map(({ endpoint: e, last }) => [
      html`<a href="/admin/webhooks/${e.id}" class="break">${e.url}</a>${e.description ? html`<br><span class="muted">${e.description}</span>` : ''}`,
      e.events.map((x) => eventName(a, x)).join(', '),
      last ? html`${stateOf(a, last)}<br><span class="muted">${when(a, last.lastAttemptAt ?? last.occurredAt)}</span>` : a.t('webhooks.never'),
      askButton(`/admin/webhooks/${e.id}/remove`, a.t('webhooks.remove'), 'secondary'),
    ]),
  );
  return adminPage(
    a,
    a.t('nav.webhooks'),
    html`<p class="muted">${a.t('webhooks.intro')}</p>
<h2>${a.t('webhooks.list')}</h2>
${list}
<section class="card narrow" aria-labelledby="add-webhook">
<h2 id="add-webhook">${a.t('webhooks.add')}</h2>
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/webhooks',
  html`${field(a, state, { name: 'url', label: a.t('webhooks.url'), type: 'url', required: true, hint: a.t('webhooks.urlHint') })}
${checkboxGroup(a, state, { name: 'events', legend: a.t('webhooks.eventsLegend'), options: WEBHOOK_EVENTS.map((e) => ({ value: e, label: eventName(a, e) })) })}
${field(a, state, { name: 'description', label: a.t('webhooks.description'), hint: a.t('webhooks.descriptionHint') })}
<div class="actions"><button type="submit">${a.t('webhooks.addSubmit')}</button></div>`,
)}
</section>`,
  );
}

/** The answer to adding an endpoint: its signing secret, shown this once. */
export function newWebhookPage(a: AdminCtx, endpoint: WebhookEndpoint, secret: string): string {
  return adminPage(
    a,
    a.t('webhooks.createdTitle'),
    html`<div class="card">
<p class="warning" role="status">${a.t('webhooks.secretOnce')}</p>
<p class="break"><strong>${endpoint.url}</strong></p>
<p class="break"><code id="new-secret">${secret}</code></p>
<p class="muted">${a.t('webhooks.signatureHint')}</p>
<p><a href="/admin/webhooks">${a.t('webhooks.toList')}</a></p>
</div>`,
  );
}

/** GET /admin/webhooks/:id: the endpoint and its recent messages, newest first. */
export function webhookPage(a: AdminCtx, endpoint: WebhookEndpoint, deliveries: WebhookDelivery[]): string {
  const rows = deliveries.map((d) => [
    eventName(a, d.event),
    when(a, d.occurredAt),
    html`${stateOf(a, d)}${d.nextAttemptAt ? html`<br><span class="muted">${a.t('webhooks.next', { when: when(a, d.nextAttemptAt) })}</span>` : ''}`,
    String(d.attempts),
    when(a, d.lastAttemptAt),
    html`<span class="break">${(d.lastError ?? d.lastResponse ?? '').slice(0, 200)}</span>`,
  ]);
  return adminPage(
    a,
    a.t('webhooks.endpointTitle', { url: endpoint.description ?? new URL(endpoint.url).host }),
    html`<div class="card">
<dl class="facts">
<dt>${a.t('webhooks.url')}</dt><dd>${endpoint.url}</dd>
<dt>${a.t('webhooks.events')}</dt><dd>${endpoint.events.map((x) => eventName(a, x)).join(', ')}</dd>
${endpoint.description ? html`<dt>${a.t('webhooks.description')}</dt><dd>${endpoint.description}</dd>` : ''}
<dt>${a.t('webhooks.created')}</dt><dd>${when(a, endpoint.createdAt)}</dd>
</dl>
</div>
<h2>${a.t('webhooks.recent')}</h2>
<p class="muted">${a.t('webhooks.recentHint')}</p>
${table(
  a,
  [{ label: a.t('webhooks.event') }, { label: a.t('webhooks.occurred') }, { label: a.t('webhooks.state') }, { label: a.t('webhooks.attempts'), num: true }, { label: a.t('webhooks.lastAttempt') }, { label: a.t('webhooks.answer') }],
  rows,
)}
<section class="card narrow"><h2>${a.t('webhooks.removeTitle')}</h2>
${askButton(`/admin/webhooks/${endpoint.id}/remove`, a.t('webhooks.remove'))}
</section>
<p><a href="/admin/webhooks">${a.t('webhooks.toList')}</a></p>`,
  );
}
