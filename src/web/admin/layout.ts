/**
 * The admin page layout, rendered with the project's `html` template (src/web/html.ts) like the public pages:
 * a top bar (name, language switch, who is signed in, sign out), the navigation (a sidebar on wide screens, a
 * fold-out menu on phones, both without script) and the page. Pages call `adminPage`.
 */
import { FAVICON_PATH } from '../favicon.js';
import { mayAccess, type Access } from '../../core/admin/roles.js';
import { LANGUAGES } from '../../core/vocab.js';
import { html, raw, type SafeHtml } from '../html.js';
import { ADMIN_STYLESHEET_PATH } from './admin.css.js';
import { flashMessage, postForm } from './components.js';
import type { AdminCtx } from './context.js';
import type { AdminTextKey } from './texts.js';

/** The navigation, in order; an entry shows only to roles that may read it. */
export const NAV: ReadonlyArray<{ key: AdminTextKey; href: string; access: Access }> = [
  { key: 'nav.dashboard', href: '/admin', access: 'read' },
  { key: 'nav.campaigns', href: '/admin/campaigns', access: 'read' },
  { key: 'nav.contacts', href: '/admin/contacts', access: 'read' },
  { key: 'nav.imports', href: '/admin/imports', access: 'read' },
  { key: 'nav.audit', href: '/admin/audit', access: 'read' },
  { key: 'nav.purposes', href: '/admin/purposes', access: 'read' },
  { key: 'nav.forms', href: '/admin/forms', access: 'read' },
  { key: 'nav.media', href: '/admin/media', access: 'read' },
  { key: 'nav.organisation', href: '/admin/organisation', access: 'read' },
  { key: 'nav.privacy', href: '/admin/privacy', access: 'read' },
  { key: 'nav.users', href: '/admin/users', access: 'owner' },
  { key: 'nav.webhooks', href: '/admin/webhooks', access: 'owner' },
  { key: 'nav.actions', href: '/admin/actions', access: 'owner' },
];

const isCurrent = (href: string, path: string) => (href === '/admin' ? path === '/admin' || path === '/admin/' : path === href || path.startsWith(`${href}/`));

function navList(a: AdminCtx): SafeHtml {
  const role = a.session?.role;
  const items = NAV.filter((n) => role && mayAccess(role, n.access));
  return html`<ul>${items.map(
    (n) => html`<li><a href="${n.href}"${isCurrent(n.href, a.path) ? raw(' aria-current="page"') : ''}>${a.t(n.key)}</a></li>`,
  )}</ul>`;
}

/** The language switch: a POST form (it sets a cookie) with a button per language. */
function languageSwitch(a: AdminCtx): SafeHtml {
  return postForm(
    a,
    '/admin/language',
    html`<input type="hidden" name="back" value="${a.url.replace(/([?&])lang=[^&]*&?/, '$1').replace(/[?&]$/, '')}">
${LANGUAGES.map((l) => html`<button type="submit" name="lang" value="${l}" lang="${l}" aria-pressed="${l === a.lang}">${l.toUpperCase()}</button> `)}`,
    { class: 'lang-switch', label: a.t('layout.language') },
  );
}

/**
 * A full admin page.
 * @param title the page's heading and <title>
 * @param body the page content below the heading
 */
export function adminPage(a: AdminCtx, title: string, body: SafeHtml): string {
  const s = a.session?.state === 'active' ? a.session : null;
  const who = s
    ? html`<span class="who"><span class="email">${a.t('layout.signedInAs', { email: s.email, role: a.t(`role.${s.role}` as const) })} · </span><a href="/admin/account">${a.t('layout.account')}</a></span>
${postForm(a, '/admin/logout', html`<button type="submit" class="link">${a.t('layout.signOut')}</button>`)}`
    : '';
  const nav = s
    ? html`<details class="menu"><summary>${a.t('layout.menu')}</summary><nav aria-label="${a.t('layout.menu')}">${navList(a)}</nav></details>`
    : '';
  return `<!doctype html>\n${html`<html lang="${a.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${a.t('app.name')}</title>
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="${ADMIN_STYLESHEET_PATH}">
</head>
<body>
<a class="skip" href="#main">${a.t('layout.skip')}</a>
<header class="bar"><a class="brand" href="/admin">${a.t('app.name')}</a>${languageSwitch(a)}${who}</header>
${nav}
<div class="shell">
${s ? html`<nav class="side" aria-label="${a.t('layout.menu')}">${navList(a)}</nav>` : ''}
<main id="main">
<h1>${title}</h1>
${flashMessage(a)}
${body}
</main>
</div>
</body>
</html>`.value}\n`;
}
