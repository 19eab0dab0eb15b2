/**
 * The hosted sign-up form (SCENARIOS A1, A5, G1, G3): e-mail, optional first name, one unticked box per purpose
 * with its label (and frequency), the sender and a link to the current privacy notice before the button.
 */
import { html, layout, oneLine, type SafeHtml } from '../html.js';
import type { PageContext } from '../language.js';
import { hasText, t } from '../texts.js';

/** One box on the form. */
export interface FormChoice {
  id: string;
  label: string;
  /** How often mail comes, when the purpose says so and the label does not already. */
  frequency: string | null;
}

/** Everything the form page shows. */
export interface FormView {
  formId: string;
  title: string;
  intro: string;
  choices: FormChoice[];
  /** The name of the item the form delivers on request (its lead-magnet purpose), null when none. */
  item?: string | null;
  doubleOptIn: boolean;
  noticeVersion: number;
  /** What the person typed and ticked (kept after an error). */
  values: { email: string; firstName: string; purposes: string[] };
  /** The field at fault and the error code, after a refused submission. */
  error?: { field: string; code: string };
  /** The signed proof-of-work challenge (JSON) that the solver script answers. */
  challenge: string;
}

/** The honeypot field: hidden from people; a bot that fills it is ignored. */
export const HONEYPOT_FIELD = 'website';
/** The hidden field the solver script fills with its answer to the challenge. */
export const CHALLENGE_FIELD = 'altcha';
/** Where the solver script is served. */
const SOLVER_SRC = '/assets/signup-solver.js';

function errorFor(ctx: PageContext, view: FormView, field: string): SafeHtml | '' {
  if (view.error?.field !== field) return '';
  const key = `form.error.${view.error.code}`;
  return html`<p class="error-text" id="${field}-error">${hasText(key) ? t(ctx.lang, key) : t(ctx.lang, 'form.error.other')}</p>`;
}

const invalidAttrs = (view: FormView, field: string): SafeHtml =>
  view.error?.field === field ? html` aria-invalid="true" aria-describedby="${field}-error"` : html``;

/** Renders the form page. */
export function formPage(ctx: PageContext, view: FormView): string {
  const { lang, org } = ctx;
  const v = view.values;
  const boxes = view.choices.map(
    (c) => html`<div class="choice">
<input type="checkbox" id="purpose-${c.id}" name="purposes" value="${c.id}"${v.purposes.includes(c.id) ? html` checked` : ''}>
<label for="purpose-${c.id}">${c.label}${c.frequency ? html`<span class="hint">${t(lang, 'form.frequency', { frequency: c.frequency })}</span>` : ''}</label>
</div>`,
  );
  const body = html`<section class="card">
<h1>${view.title}</h1>
<p class="lead">${view.intro}</p>
${view.item ? html`<p class="item">${t(lang, 'form.item', { item: view.item })}</p>` : ''}
${view.error ? html`<p class="alert" role="alert">${t(lang, 'form.errorSummary')}</p>` : ''}
<form method="post" action="/f/${encodeURIComponent(view.formId)}?lang=${lang}" data-challenge="${view.challenge}">
<input type="hidden" name="${CHALLENGE_FIELD}" value="">
<div class="hp">
<label for="${HONEYPOT_FIELD}">${t(lang, 'form.honeypot')}</label>
<input type="text" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off">
</div>
<div class="field">
<label for="email">${t(lang, 'form.email')}</label>
<input type="email" id="email" name="email" required autocomplete="email" inputmode="email" maxlength="320" value="${v.email}"${invalidAttrs(view, 'email')}>
${errorFor(ctx, view, 'email')}
</div>
<div class="field">
<label for="firstName">${t(lang, 'form.firstName')} <span class="optional">${t(lang, 'form.optional')}</span></label>
<input type="text" id="firstName" name="firstName" autocomplete="given-name" maxlength="100" value="${v.firstName}"${invalidAttrs(view, 'firstName')}>
${errorFor(ctx, view, 'firstName')}
</div>
<fieldset${view.error?.field === 'purposes' ? html` aria-describedby="purposes-error"` : ''}>
<legend>${t(lang, 'form.choose')}</legend>
${boxes}
${errorFor(ctx, view, 'purposes')}
</fieldset>
<p class="muted">${t(lang, view.doubleOptIn ? 'form.doubleOptIn' : 'form.singleOptIn')}</p>
<p class="notice-link">${t(lang, 'form.privacyBefore')} <a href="/privacy?lang=${lang}">${t(lang, 'form.privacyLink')}</a> ${t(lang, 'form.privacyAfter', { version: view.noticeVersion })}</p>
<button type="submit">${t(lang, 'form.submit')}</button>
</form>
${org ? html`<p class="sender">${t(lang, 'form.sender', { name: org.name, address: oneLine(org.postalAddress) })}</p>` : ''}
</section>
<script src="${SOLVER_SRC}" defer></script>`;
  return layout({ ...ctx, title: view.title }, body);
}
