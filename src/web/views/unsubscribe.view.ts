/**
 * The unsubscribe link's page (SCENARIOS E2): never asks for the address; one primary button for the link's
 * purpose and a clear second choice for everything. Both are plain forms that POST to the same URL.
 */
import { html, type SafeHtml } from '../html.js';
import type { PageContext } from '../language.js';
import { t } from '../texts.js';
import { messagePage } from './message.view.js';

const button = (action: string, scope: 'purpose' | 'all', label: string, secondary: boolean): SafeHtml =>
  html`<form method="post" action="${action}"><input type="hidden" name="scope" value="${scope}"><button type="submit"${secondary ? html` class="secondary"` : ''}>${label}</button></form>`;

/** Renders the choice page. `purposeName` is null when the link names no purpose that still exists. */
export function unsubscribePage(ctx: PageContext, view: { token: string; purposeName: string | null }): string {
  const { lang } = ctx;
  const name = ctx.org?.name ?? '';
  const action = `/u/${view.token}?lang=${lang}`;
  const purpose = view.purposeName;
  return messagePage(ctx, {
    title: t(lang, 'unsub.title'),
    paragraphs: [purpose ? t(lang, 'unsub.intro', { purpose, name }) : t(lang, 'unsub.introAll', { name })],
    extra: html`<div class="actions">
${purpose ? button(action, 'purpose', t(lang, 'unsub.purpose', { purpose }), false) : ''}
${button(action, 'all', t(lang, 'unsub.all'), purpose !== null)}
</div>
<p class="muted sender">${t(lang, 'unsub.allHint')}</p>`,
  });
}

/**
 * Renders the page after unsubscribing, or (`already`) when the link is opened again after it was done; after one
 * purpose it still offers "everything".
 */
export function unsubscribedPage(
  ctx: PageContext,
  view: { token: string; scope: 'purpose' | 'all'; purposeName: string | null; already?: boolean },
): string {
  const { lang } = ctx;
  const name = ctx.org?.name ?? '';
  const purpose = view.purposeName;
  const first =
    view.scope === 'purpose' && purpose ? t(lang, 'unsubbed.purpose', { purpose, name }) : t(lang, 'unsubbed.all', { name });
  return messagePage(ctx, {
    title: t(lang, view.already ? 'unsubbed.alreadyTitle' : 'unsubbed.title'),
    tone: 'success',
    paragraphs: view.already ? [t(lang, 'unsubbed.already'), first, t(lang, 'unsubbed.hint')] : [first, t(lang, 'unsubbed.hint')],
    extra:
      view.scope === 'purpose'
        ? html`<p class="sender">${t(lang, 'unsubbed.alsoAll')}</p>
<div class="actions">${button(`/u/${view.token}?lang=${lang}`, 'all', t(lang, 'unsub.all'), true)}</div>`
        : undefined,
  });
}
