/**
 * The mail preview of the campaign editor and the welcome mail: a sandboxed iframe at desktop (800 px) or phone
 * (390 px) width, and the responses shown in it. The saved version is a GET of `preview.html`; the text being
 * typed is shown without saving by a "Preview" button in the editing form that posts it (with its CSRF token) to a
 * preview route with `formtarget` naming the iframe, so no script is needed. The width radios switch the frame at
 * once through CSS (`:has`), keeping what was typed; a `width` query parameter chooses the first one.
 */
import type { FastifyReply } from 'fastify';
import { html, raw, type SafeHtml } from '../../html.js';
import type { AdminCtx } from '../context.js';
import type { AdminHandler } from '../handler.js';

export type PreviewWidth = 'desktop' | 'phone';

/** The width asked for in a query (`?width=phone`), desktop otherwise. */
export const previewWidth = (query: unknown): PreviewWidth => ((query as Record<string, unknown> | undefined)?.width === 'phone' ? 'phone' : 'desktop');

/**
 * The width choice (radios named `width`, so a GET form around them carries it too).
 * @param idPrefix keeps the radios' ids unique on the page
 */
export function widthChoice(a: AdminCtx, width: PreviewWidth, idPrefix = 'width'): SafeHtml {
  return html`<fieldset class="preview-width"><legend>${a.t('preview.width')}</legend>
${(['desktop', 'phone'] as const).map((w) => html`<span class="check"><input type="radio" id="${idPrefix}-${w}" name="width" value="${w}"${width === w ? raw(' checked') : ''}> <label for="${idPrefix}-${w}">${a.t(`preview.${w}`)}</label></span> `)}
</fieldset>`;
}

/**
 * The preview iframe. It always exists, so a form's `formtarget` finds it even when there is nothing to show yet.
 * @param spec.name the frame's name, which the "Preview" buttons' `formtarget` gives
 * @param spec.src the saved version's `preview.html`, or null for an empty frame
 */
export function previewFrame(a: AdminCtx, spec: { name: string; src: string | null; width: PreviewWidth }): SafeHtml {
  return html`<div class="preview-frame"><iframe name="${spec.name}"${spec.src ? html` src="${spec.src}"` : ''} class="${spec.width}" sandbox title="${a.t('preview.frame')}"></iframe></div>`;
}

/**
 * A button in an editing form that shows the form's current content in the preview frame without saving.
 * @param action the preview route (a POST that stores nothing)
 */
export const previewButton = (a: AdminCtx, action: string, frame: string): SafeHtml =>
  html`<button type="submit" class="secondary" formaction="${action}" formtarget="${frame}">${a.t('preview.draft')}</button>`;

/**
 * Sends a mail's HTML (or a message why there is none) into the preview frame: it may only be framed by our own
 * pages, runs no script and loads images only over https or from our own media.
 */
export function sendPreview(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; img-src https: 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox")
    .header('x-frame-options', 'SAMEORIGIN')
    .type('text/html; charset=utf-8')
    .send(page);
}

/** A small page for the frame saying why there is no preview (a draft that does not compile, nothing saved yet). */
export function previewMessage(a: AdminCtx, message: string): string {
  return `<!doctype html>\n${html`<html lang="${a.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${a.t('preview.frame')}</title></head>
<body style="font-family: system-ui, sans-serif; margin: 1.5rem; color: #7f1d1d; overflow-wrap: anywhere"><p role="alert">${message}</p></body></html>`.value}\n`;
}

/**
 * A handler whose page holds a preview iframe: the app's Content-Security-Policy (helmet, app.ts) plus
 * `frame-src 'self'`, so the page may frame our own preview routes and nothing else.
 */
export const framesPreview =
  (h: AdminHandler): AdminHandler =>
  async (a, req, reply) => {
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string' && !/frame-src/.test(csp)) reply.header('content-security-policy', `${csp}; frame-src 'self'`);
    return h(a, req, reply);
  };
