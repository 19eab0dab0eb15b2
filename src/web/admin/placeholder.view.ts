/**
 * A page for a navigation entry whose area is not built yet: it says so and points at the command line.
 * An area's own route replaces its line in routes.ts.
 */
import { html } from '../html.js';
import type { AdminHandler } from './handler.js';
import { adminPage } from './layout.js';
import type { AdminTextKey } from './texts.js';

/** A handler showing the "coming soon" page titled with a navigation text. */
export const comingSoon =
  (title: AdminTextKey): AdminHandler =>
  async (a) =>
    adminPage(a, a.t(title), html`<div class="card"><p>${a.t('common.comingSoon')}</p></div>`);
