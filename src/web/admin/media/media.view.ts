/** The Media page: an upload form (edit access) and the files with their stable URL and a thumbnail for images. */
import { isImageType, type StoredMedia } from '../../../services/organisation/media.js';
import { mayAccess } from '../../../core/admin/roles.js';
import { html } from '../../html.js';
import { csrfField, errorSummary, table, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

/** Bytes as "12 kB" / "3.4 MB" (decimal units). */
export function fileSize(bytes: number, lang: string): string {
  const n = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 1 });
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${n.format(bytes / 1000)} kB`;
  return `${n.format(bytes / 1_000_000)} MB`;
}

/** The path of a file on this server (its URL without the base), for the thumbnail. */
const localPath = (m: StoredMedia) => `/media/${m.id}/${m.fileName}`;

export function mediaPage(a: AdminCtx, files: StoredMedia[] | null, state: FormState): string {
  if (files === null) return adminPage(a, a.t('media.title'), html`<section class="card"><p>${a.t('media.noFolder')}</p></section>`);
  const err = state.errors.file;
  const mayEdit = a.session ? mayAccess(a.session.role, 'edit') : false;
  const upload = mayEdit
    ? html`<section class="card"><h2>${a.t('media.upload')}</h2>${errorSummary(a, state)}
<form method="post" action="/admin/media" enctype="multipart/form-data" novalidate>${csrfField(a)}
<div class="field"><label for="file">${a.t('media.file')}</label>
<p class="hint" id="file-hint">${a.t('media.fileHint')}</p>
<input type="file" id="file" name="file" accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.epub,.zip" required aria-describedby="file-hint${err ? ' file-error' : ''}"${err ? html` aria-invalid="true"` : ''}>
${err ? html`<p class="error-text" id="file-error">${err}</p>` : ''}</div>
<div class="actions"><button type="submit">${a.t('media.submit')}</button></div>
</form></section>`
    : '';
  const rows = files.map((m) => [
    isImageType(m.contentType) ? html`<img class="thumb" src="${localPath(m)}" alt="" width="64" loading="lazy">` : '',
    m.fileName,
    fileSize(m.size, a.lang),
    m.contentType,
    html`<input class="copy-url" type="text" readonly value="${m.url}" aria-label="${a.t('media.url')}: ${m.fileName}">`,
  ]);
  const list = html`<section class="card"><h2>${a.t('media.files')}</h2>${table(
    a,
    [{ label: a.t('media.preview') }, { label: a.t('media.name') }, { label: a.t('media.size'), num: true }, { label: a.t('media.type') }, { label: a.t('media.url') }],
    rows,
    a.t('media.none'),
  )}</section>`;
  return adminPage(a, a.t('media.title'), html`<p>${a.t('media.intro')}</p>${upload}${list}`);
}
