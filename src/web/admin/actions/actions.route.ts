/**
 * The action log page (owners): newest first, 50 a page, keyset pagination on the log position.
 */
import { ACTOR_KINDS, readActionLog, type ActionEntry } from '../../../services/admin/action-log.js';
import { html } from '../../html.js';
import { pager, table, vocabLabel, when, withCode } from '../components.js';
import type { AdminCtx } from '../context.js';
import type { AdminHandler } from '../handler.js';
import { adminPage } from '../layout.js';
import { actionWords } from './action-words.js';

function actor(a: AdminCtx, e: ActionEntry) {
  const kind = (ACTOR_KINDS as readonly string[]).includes(e.actor.kind) ? a.t(`actions.actor.${e.actor.kind as (typeof ACTOR_KINDS)[number]}`) : e.actor.kind;
  return html`${e.actor.name} <span class="badge">${kind}</span>`;
}

/** What was done in words, with the API route or command in small type where there is one. */
function what(a: AdminCtx, e: ActionEntry) {
  const { key, code } = actionWords(e.action);
  const words = a.t(key ?? 'actions.do.other');
  return code ? withCode(words, code) : words;
}

/** The log page for plain data. */
export function actionsPage(a: AdminCtx, entries: ActionEntry[], next: number | null): string {
  return adminPage(
    a,
    a.t('actions.title'),
    html`<p class="muted">${a.t('actions.intro')}</p>
${table(
  a,
  [{ label: a.t('actions.when') }, { label: a.t('actions.who') }, { label: a.t('actions.what') }, { label: a.t('actions.object') }, { label: a.t('actions.status') }],
  entries.map((e) => [
    when(a, e.at),
    actor(a, e),
    what(a, e),
    e.object.kind ? html`${vocabLabel(a, 'actions.object', e.object.kind)}${e.object.id ? html` <code class="small">${e.object.id}</code>` : ''}` : '',
    // Only what succeeded is logged: an HTTP status below 400 or a command's exit code 0.
    e.status === null ? '' : e.status < 400 ? withCode(a.t('actions.done'), String(e.status)) : String(e.status),
  ]),
  a.t('actions.empty'),
)}
${pager(a, '/admin/actions', {}, { after: next === null ? null : String(next) })}`,
  );
}

/** GET /admin/actions[?after=<position>] */
export const actionsList: AdminHandler = async (a, req) => {
  const after = Number((req.query as { after?: string }).after);
  const { entries, next } = await readActionLog(a.deps, Number.isSafeInteger(after) && after > 0 ? { before: after } : {});
  return actionsPage(a, entries, next);
};
