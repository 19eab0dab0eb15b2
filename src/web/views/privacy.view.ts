/**
 * The privacy notice page (SCENARIOS G1, G2): the rendered notice with its version and publication date.
 */
import type { RenderedNotice } from '../../core/notice-render.js';
import { html, layout, type SafeHtml } from '../html.js';
import type { PageContext } from '../language.js';
import { t } from '../texts.js';

/** A plain-text paragraph with its line breaks kept (a postal address on several lines), each line escaped. */
const lines = (text: string): SafeHtml[] => text.split(/\r?\n/).map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`));

/** Renders a notice; `current` false adds a pointer to the current version. */
export function privacyPage(
  ctx: PageContext,
  view: { notice: RenderedNotice; version: number; publishedAt: string; current: boolean },
): string {
  const { lang } = ctx;
  const date = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(
    new Date(view.publishedAt),
  );
  const body = html`<article class="card notice">
<h1>${view.notice.title}</h1>
<p class="meta">${t(lang, 'privacy.meta', { version: view.version, date })}</p>
${view.current ? '' : html`<p class="alert"><a href="/privacy?lang=${lang}">${t(lang, 'privacy.older')}</a></p>`}
${view.notice.sections.map(
  (s) => html`<section>
<h2>${s.heading}</h2>
${s.paragraphs.map((p) => html`<p>${lines(p)}</p>`)}
</section>`,
)}
</article>`;
  return layout({ ...ctx, title: t(lang, 'privacy.title') }, body);
}
