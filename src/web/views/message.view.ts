/**
 * A simple page with a heading, a few paragraphs and optional extra content: success and error pages.
 */
import { html, layout, type SafeHtml } from '../html.js';
import type { PageContext } from '../language.js';

/** What a message page shows. */
export interface MessageView {
  title: string;
  paragraphs: string[];
  /** 'success' shows the first paragraph as a confirmation, 'error' as an alert. */
  tone?: 'success' | 'error' | 'plain';
  /** More markup after the paragraphs (a form, a list of links). */
  extra?: SafeHtml;
}

/** Renders a message page. */
export function messagePage(ctx: PageContext, view: MessageView): string {
  const [first, ...rest] = view.paragraphs;
  const tone = view.tone ?? 'plain';
  const firstHtml =
    first === undefined
      ? ''
      : tone === 'plain'
        ? html`<p class="lead">${first}</p>`
        : html`<p class="${tone === 'success' ? 'success' : 'alert'}" role="${tone === 'error' ? 'alert' : 'status'}">${first}</p>`;
  return layout(
    { ...ctx, title: view.title },
    html`<section class="card">
<h1>${view.title}</h1>
${firstHtml}
${rest.map((p) => html`<p>${p}</p>`)}
${view.extra ?? ''}
</section>`,
  );
}
