/**
 * The admin app's shared view pieces, all built with `html` (escaping by default): forms with their CSRF field,
 * a form field with its error and kept value, a select, an error summary, a table, keyset pagination links,
 * the flash message, the second step of a dangerous action, and dates in the page's language.
 */
import { html, raw, type SafeHtml } from '../html.js';
import type { AdminCtx } from './context.js';
import { hasAdminText, type AdminTextKey } from './texts.js';

/** The values and errors of a form being shown again (errors already in the page's language). */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** An error about the whole form (no one field at fault). */
  formError?: string;
}

/** A form shown for the first time, optionally with values filled in. */
export const freshForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

/** The hidden CSRF field every admin form carries. */
export const csrfField = (a: AdminCtx): SafeHtml => html`<input type="hidden" name="_csrf" value="${a.csrf()}">`;

/**
 * A POST form with its CSRF field.
 * @param opts.label an aria-label for a form that has no heading of its own
 */
export function postForm(a: AdminCtx, action: string, content: SafeHtml, opts: { class?: string; label?: string; id?: string } = {}): SafeHtml {
  return html`<form method="post" action="${action}"${opts.class ? html` class="${opts.class}"` : ''}${opts.id ? html` id="${opts.id}"` : ''}${
    opts.label ? html` aria-label="${opts.label}"` : ''
  } novalidate>${csrfField(a)}${content}</form>`;
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'search' | 'date' | 'time' | 'textarea';
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** Do not show the value again (passwords). */
  secret?: boolean;
}

function describedBy(name: string, hint: boolean, error: boolean): SafeHtml | string {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
}

/**
 * A labelled input with its hint, its error (when the form came back with one) and the value that was typed.
 * @example field(a, state, { name: 'email', label: a.t('login.email'), type: 'email', required: true })
 */
export function field(a: AdminCtx, state: FormState, spec: FieldSpec): SafeHtml {
  const error = state.errors[spec.name];
  const value = spec.secret ? '' : (state.values[spec.name] ?? '');
  const attrs = html` id="${spec.name}" name="${spec.name}"${spec.required ? raw(' required') : ''}${
    spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''
  }${error ? raw(' aria-invalid="true"') : ''}${describedBy(spec.name, !!spec.hint, !!error)}`;
  const input =
    spec.type === 'textarea'
      ? html`<textarea${attrs}>${value}</textarea>`
      : html`<input type="${spec.type ?? 'text'}"${attrs} value="${value}">`;
  return html`<div class="field">
<label for="${spec.name}">${spec.label}${spec.required ? '' : html` <span class="hint">${a.t('common.optional')}</span>`}</label>
${spec.hint ? html`<span class="hint" id="${spec.name}-hint">${spec.hint}</span>` : ''}
${input}
${error ? html`<p class="error-text" id="${spec.name}-error">${error}</p>` : ''}
</div>`;
}

/** A labelled select with its error; the kept value is selected. */
export function selectField(
  a: AdminCtx,
  state: FormState,
  spec: { name: string; label: string; options: ReadonlyArray<{ value: string; label: string }>; hint?: string },
): SafeHtml {
  const error = state.errors[spec.name];
  const current = state.values[spec.name] ?? '';
  return html`<div class="field">
<label for="${spec.name}">${spec.label}</label>
${spec.hint ? html`<span class="hint" id="${spec.name}-hint">${spec.hint}</span>` : ''}
<select id="${spec.name}" name="${spec.name}"${error ? raw(' aria-invalid="true"') : ''}${describedBy(spec.name, !!spec.hint, !!error)}>
${spec.options.map((o) => html`<option value="${o.value}"${o.value === current ? raw(' selected') : ''}>${o.label}</option>`)}
</select>
${error ? html`<p class="error-text" id="${spec.name}-error">${error}</p>` : ''}
</div>`;
}

/**
 * Select options for a list of the product's values, labelled from vocab.texts.ts (`<kind>.<value>`), with an
 * optional first option (e.g. "any") whose value is ''.
 * @example selectField(a, q, { name: 'status', label, options: vocabOptions(a, 'status', PERMISSION_STATUSES, a.t('contacts.any')) })
 */
export function vocabOptions(a: AdminCtx, kind: 'status' | 'source' | 'kind' | 'sourceArg' | 'field' | 'basis', values: readonly string[], first?: string): Array<{ value: string; label: string }> {
  return [...(first === undefined ? [] : [{ value: '', label: first }]), ...values.map((v) => ({ value: v, label: a.t(`${kind}.${v}` as AdminTextKey) }))];
}

/**
 * A value of the product's vocabulary in words (vocab.texts.ts `<kind>.<value>`), or the value itself when it has
 * no text (a value newer than the texts stays readable rather than failing the page).
 * @example vocabLabel(a, 'delivery', 'sent') // → 'verzonden'
 */
export function vocabLabel(a: AdminCtx, kind: string, value: string): string {
  const key = `${kind}.${value}`;
  return hasAdminText(key) ? a.t(key) : value;
}

/**
 * Words with the code a privacy officer looks up (CLI, proof, ledger) in small type under them; one element, so
 * that a table cell shown as a card on a phone keeps the code under the words.
 */
export const withCode = (words: string | SafeHtml, code: string): SafeHtml => html`<span>${words}<br><code class="small">${code}</code></span>`;

/** "Something went wrong" above a form that came back with errors, plus the form-wide error if any. */
export function errorSummary(a: AdminCtx, state: FormState): SafeHtml | string {
  if (!state.formError && Object.keys(state.errors).length === 0) return '';
  return html`<div class="alert" role="alert"><p>${state.formError ?? a.t('common.errorSummary')}</p></div>`;
}

/** The message of the previous request (after a redirect), once. */
export function flashMessage(a: AdminCtx): SafeHtml | string {
  return a.flash ? html`<p class="flash" role="status">${a.t(a.flash)}</p>` : '';
}

/** A table column: its heading and whether it holds numbers (right-aligned). */
export interface Column {
  label: string;
  num?: boolean;
}

/**
 * A table; on a phone each row shows as a small card of "heading: value" lines. `empty` is shown instead when
 * there are no rows. Cells are values (escaped) or `html` pieces.
 */
export function table(a: AdminCtx, columns: readonly Column[], rows: ReadonlyArray<readonly unknown[]>, empty?: string): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">${empty ?? a.t('common.none')}</p>`;
  const cls = (c: Column | undefined) => (c?.num ? raw(' class="num"') : '');
  return html`<div class="table-wrap"><table class="stack">
<thead><tr>${columns.map((c) => html`<th scope="col"${cls(c)}>${c.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((cell, i) => html`<td${cls(columns[i])} data-label="${columns[i]?.label ?? ''}">${cell}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

/**
 * Keyset pagination links: "previous" and "next" keep the page's other query parameters and set `after` or
 * `before` to the given cursor (a service returns the cursors with its page of rows).
 * @param query the current query parameters (without after/before)
 */
export function pager(
  a: AdminCtx,
  path: string,
  query: Record<string, string>,
  cursors: { before?: string | null; after?: string | null },
): SafeHtml | string {
  if (!cursors.before && !cursors.after) return '';
  const link = (key: 'before' | 'after', cursor: string) => `${path}?${new URLSearchParams({ ...query, [key]: cursor }).toString()}`;
  return html`<nav class="pager" aria-label="pagination">
${cursors.before ? html`<a rel="prev" href="${link('before', cursors.before)}">← ${a.t('common.previous')}</a>` : html`<span></span>`}
${cursors.after ? html`<a rel="next" href="${link('after', cursors.after)}">${a.t('common.next')} →</a>` : ''}
</nav>`;
}

/**
 * The question page of a dangerous action (remove, revoke, erase): the question and a form that posts the fields
 * with `confirm=yes`. Used by `confirmedAction` (handler.ts), whose GET shows it and changes nothing.
 */
export function confirmStep(
  a: AdminCtx,
  opts: { action: string; question: string; fields: Record<string, string>; cancel: string },
): SafeHtml {
  return html`<div class="card narrow">
<p class="warning" role="alert">${opts.question}</p>
<p>${a.t('common.confirmAgain')}</p>
${postForm(
  a,
  opts.action,
  html`${Object.entries(opts.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit" class="danger">${a.t('common.confirmYes')}</button> <a href="${opts.cancel}">${a.t('common.cancel')}</a></div>`,
)}
</div>`;
}

/**
 * The button that starts a dangerous action: a GET form to its question page (`confirmedAction`), which changes
 * nothing; only the question page's own form posts.
 * @example askButton(`/admin/contacts/${id}/erase`, a.t('contact.erase'))
 */
export function askButton(href: string, label: string, cls: 'danger' | 'secondary' | '' = 'danger'): SafeHtml {
  return html`<form method="get" action="${href}"><button type="submit"${cls ? html` class="${cls}"` : ''}>${label}</button></form>`;
}

/** A time shown in the page's language and the organisation's time zone, e.g. "6 dec 2026, 19:05": the one date-time format of the admin. */
export function when(a: AdminCtx, iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(a.lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: a.timeZone,
  }).format(new Date(iso));
}


/**
 * A checkbox that always posts a value: `yes` when ticked, else `no` from a hidden field after it (the form
 * reader takes the first value of a repeated name), so "unticked" is a value a schema can read.
 */
export function checkboxField(a: AdminCtx, state: FormState, spec: { name: string; label: string; hint?: string }): SafeHtml {
  const error = state.errors[spec.name];
  const checked = state.values[spec.name] === 'yes';
  return html`<div class="field check">
<input type="checkbox" id="${spec.name}" name="${spec.name}" value="yes"${checked ? raw(' checked') : ''}${error ? raw(' aria-invalid="true"') : ''}${describedBy(spec.name, !!spec.hint, !!error)}>
<input type="hidden" name="${spec.name}" value="no">
<label for="${spec.name}">${spec.label}</label>
${spec.hint ? html`<span class="hint" id="${spec.name}-hint">${spec.hint}</span>` : ''}
${error ? html`<p class="error-text" id="${spec.name}-error">${error}</p>` : ''}
</div>`;
}

/**
 * A group of checkboxes sharing one error (e.g. the lawful bases of a purpose): each box posts `<name>_<value>`
 * as `yes`/`no`, and a hidden `<name>` field lets a service's error about the group show next to it.
 */
export function checkboxGroup(
  a: AdminCtx,
  state: FormState,
  spec: { name: string; legend: string; options: ReadonlyArray<{ value: string; label: string }>; hint?: string },
): SafeHtml {
  const error = state.errors[spec.name];
  return html`<fieldset id="${spec.name}"${error ? raw(' aria-invalid="true"') : ''}${describedBy(spec.name, !!spec.hint, !!error)}>
<legend>${spec.legend}</legend>
<input type="hidden" name="${spec.name}" value="">
${spec.hint ? html`<span class="hint" id="${spec.name}-hint">${spec.hint}</span>` : ''}
${spec.options.map((o) => {
  const key = `${spec.name}_${o.value}`;
  return html`<div class="check"><input type="checkbox" id="${key}" name="${key}" value="yes"${state.values[key] === 'yes' ? raw(' checked') : ''}><input type="hidden" name="${key}" value="no"> <label for="${key}">${o.label}</label></div>`;
})}
${error ? html`<p class="error-text" id="${spec.name}-error">${error}</p>` : ''}
</fieldset>`;
}

/** The values of a checkbox group as a list, e.g. ['A6-1-a'] from `bases_A6-1-a=yes`. */
export const checkedIn = (values: Record<string, string>, name: string): string[] =>
  Object.entries(values).filter(([k, v]) => k.startsWith(`${name}_`) && v === 'yes').map(([k]) => k.slice(name.length + 1));
