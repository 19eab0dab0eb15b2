/**
 * The confirmation link's page (SCENARIOS A1, A3, A7): opening it only shows one button; pressing it POSTs.
 */
import type { ClosedState } from '../../services/consent/confirm.js';
import { html } from '../html.js';
import type { PageContext } from '../language.js';
import { t } from '../texts.js';
import { messagePage } from './message.view.js';

/**
 * Renders the page behind a confirmation link, with the button that confirms: the purposes it confirms and the
 * requested items it delivers (an item alone asks to confirm the address).
 */
export function confirmPage(ctx: PageContext, view: { token: string; purposeNames: string[]; itemNames: string[] }): string {
  const { lang } = ctx;
  const name = ctx.org?.name ?? '';
  const items = view.itemNames.join(', ');
  const itemOnly = view.purposeNames.length === 0 && view.itemNames.length > 0;
  return messagePage(ctx, {
    title: t(lang, itemOnly ? 'confirm.itemTitle' : 'confirm.title'),
    paragraphs: itemOnly
      ? [t(lang, 'confirm.itemIntro', { name, items })]
      : [
          t(lang, 'confirm.intro', { name }),
          ...(view.purposeNames.length > 0 ? [t(lang, 'confirm.for', { purposes: view.purposeNames.join(', ') })] : []),
          ...(view.itemNames.length > 0 ? [t(lang, 'confirm.itemToo', { items })] : []),
        ],
    extra: html`<form method="post" action="/confirm/${view.token}?lang=${lang}" class="actions">
<button type="submit">${t(lang, itemOnly ? 'confirm.itemButton' : 'confirm.button')}</button>
</form>
<p class="muted sender">${t(lang, itemOnly ? 'confirm.itemIgnore' : 'confirm.ignore')}</p>`,
  });
}

/** A requested item on the page after confirming: its name, its download URL (or null), whether it was mailed. */
export interface ConfirmedItemView {
  name: string;
  url: string | null;
  mailed: boolean;
}

/**
 * Renders the page after a successful confirmation: the purposes now received and, for each requested item,
 * that it is on its way (or that the mail failed) with a direct download link when the item has one.
 */
export function confirmedPage(ctx: PageContext, view: { purposeNames: string[]; items: ConfirmedItemView[] }): string {
  const { lang } = ctx;
  const consent = view.purposeNames.length > 0;
  return messagePage(ctx, {
    title: t(lang, consent ? 'confirmed.title' : 'confirmed.itemTitle'),
    tone: 'success',
    paragraphs: [
      ...(consent ? [t(lang, 'confirmed.body', { purposes: view.purposeNames.join(', ') })] : []),
      ...view.items.flatMap((i) =>
        i.mailed ? [t(lang, 'confirmed.itemOnItsWay', { item: i.name })]
          : [t(lang, 'confirmed.itemNotMailed', { item: i.name }), ...(i.url ? [] : [t(lang, 'confirmed.itemTryAgain')])]),
      ...(consent ? [t(lang, 'confirmed.hint')] : []),
    ],
    extra: html`${view.items.filter((i) => i.url).map((i) => html`<p><a href="${i.url!}">${t(lang, 'confirmed.itemDownload', { item: i.name })}</a></p>`)}`,
  });
}

/**
 * Renders what a confirmation link says when its sign-up request is no longer open: already confirmed (with the
 * download link of each item its request delivered), or, truthfully, that the person unsubscribed since (or signed
 * up again later) and that nothing changed.
 */
export function confirmClosedPage(ctx: PageContext, view: { state: ClosedState; purposeNames: string[]; items?: Array<{ name: string; url: string | null }> }): string {
  const { lang } = ctx;
  if (view.state === 'already-confirmed') {
    // A second press of the link: the items its request delivered stay within reach (their URLs are public).
    const items = view.items ?? [];
    return messagePage(ctx, {
      title: t(lang, 'error.409'),
      paragraphs: [t(lang, 'error.code.already-confirmed'), ...items.map((i) => t(lang, 'confirmClosed.itemSent', { item: i.name }))],
      extra: html`${items.filter((i) => i.url).map((i) => html`<p><a href="${i.url!}">${t(lang, 'confirmed.itemDownload', { item: i.name })}</a></p>`)}`,
    });
  }
  const first = view.state === 'withdrawn-since'
    ? t(lang, 'confirmClosed.withdrawn', { purposes: view.purposeNames.join(', ') })
    : t(lang, 'confirmClosed.requestClosed');
  return messagePage(ctx, {
    title: t(lang, 'confirmClosed.title'),
    paragraphs: [first, t(lang, 'confirmClosed.again')],
    extra: html`<p><a href="/?lang=${lang}">${t(lang, 'confirmClosed.forms')}</a></p>`,
  });
}
