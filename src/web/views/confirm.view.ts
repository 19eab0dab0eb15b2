/**
 * The confirmation link's page (SCENARIOS A1, A7): opening it only shows one button; pressing it POSTs.
 */
import type { ClosedState } from '../../services/consent/confirm.js';
import { html } from '../html.js';
import type { PageContext } from '../language.js';
import { t } from '../texts.js';
import { messagePage } from './message.view.js';

/** Renders the page behind a confirmation link, with the button that confirms. */
export function confirmPage(ctx: PageContext, view: { token: string; purposeNames: string[] }): string {
  const { lang } = ctx;
  const name = ctx.org?.name ?? '';
  return messagePage(ctx, {
    title: t(lang, 'confirm.title'),
    paragraphs: [
      t(lang, 'confirm.intro', { name }),
      ...(view.purposeNames.length > 0 ? [t(lang, 'confirm.for', { purposes: view.purposeNames.join(', ') })] : []),
    ],
    extra: html`<form method="post" action="/confirm/${view.token}?lang=${lang}" class="actions">
<button type="submit">${t(lang, 'confirm.button')}</button>
</form>
<p class="muted sender">${t(lang, 'confirm.ignore')}</p>`,
  });
}

/** Renders the page after a successful confirmation. */
export function confirmedPage(ctx: PageContext, view: { purposeNames: string[] }): string {
  const { lang } = ctx;
  return messagePage(ctx, {
    title: t(lang, 'confirmed.title'),
    tone: 'success',
    paragraphs: [t(lang, 'confirmed.body', { purposes: view.purposeNames.join(', ') }), t(lang, 'confirmed.hint')],
  });
}

/**
 * Renders what a confirmation link says when its sign-up request is no longer open: already confirmed, or,
 * truthfully, that the person unsubscribed since (or signed up again later) and that nothing changed.
 */
export function confirmClosedPage(ctx: PageContext, view: { state: ClosedState; purposeNames: string[] }): string {
  const { lang } = ctx;
  if (view.state === 'already-confirmed') {
    return messagePage(ctx, { title: t(lang, 'error.409'), paragraphs: [t(lang, 'error.code.already-confirmed')] });
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
