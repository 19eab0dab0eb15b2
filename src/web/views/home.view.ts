/**
 * The start page: the organisation with links to its forms and privacy notice, or how to set up.
 */
import { html } from '../html.js';
import type { PageContext } from '../language.js';
import { t } from '../texts.js';
import { messagePage } from './message.view.js';

/** Renders the start page; `forms` are the hosted forms with their titles in the page's language. */
export function homePage(ctx: PageContext, forms: Array<{ id: string; title: string }>): string {
  const { lang, org } = ctx;
  if (!org) {
    return messagePage(ctx, {
      title: t(lang, 'home.setupTitle'),
      paragraphs: [t(lang, 'home.setup')],
      extra: html`<p><code>npx consentry init</code></p>`,
    });
  }
  return messagePage(ctx, {
    title: org.name,
    paragraphs: [t(lang, 'home.intro', { name: org.name })],
    extra: html`<h2>${t(lang, 'home.forms')}</h2>
${
  forms.length > 0
    ? html`<ul class="links">${forms.map((f) => html`<li><a href="/f/${encodeURIComponent(f.id)}?lang=${lang}">${f.title}</a></li>`)}</ul>`
    : html`<p>${t(lang, 'home.noForms')}</p>`
}
<p class="sender"><a href="/privacy?lang=${lang}">${t(lang, 'home.privacy')}</a></p>`,
  });
}
