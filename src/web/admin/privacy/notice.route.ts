/**
 * Handlers of the privacy notice pages (access in routes.ts: 'read' to look, 'privacy' to change). Each POST
 * calls one service of services/organisation/notice-admin.ts, the same the CLI's `notice` commands use.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderNotice } from '../../../core/notice-render.js';
import { isLanguage } from '../../../core/vocab.js';
import {
  draftNoticeTexts,
  missingFor,
  noticeContent,
  noticeEditor,
  noticeStatus,
  noticeVersions,
  publishNotice,
} from '../../../services/organisation/notice-admin.js';
import { notFound } from '../../../services/errors.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { formAction, type AdminHandler } from '../handler.js';
import { noticeEditPage, noticePage, noticeVersionPage } from './notice.view.js';

/** GET /admin/privacy: the notice's state, what is missing, the versions. */
export const noticeShow: AdminHandler = async (a) => noticePage(a, await noticeStatus(a.deps), await noticeVersions(a.deps));

const versionOf = (req: FastifyRequest): number => {
  const v = (req.params as { version: string }).version;
  if (!/^\d{1,9}$/.test(v)) throw notFound(`there is no notice version ${v}`, 'unknown-notice');
  return Number(v);
};

async function versionPage(a: AdminCtx, req: FastifyRequest, state: FormState = freshForm()): Promise<string> {
  const version = versionOf(req);
  const info = (await noticeVersions(a.deps)).find((v) => v.version === version);
  if (!info) throw notFound(`there is no notice version ${version}`, 'unknown-notice');
  const { content } = await noticeContent(a.deps, version);
  const text = (req.query as { text?: string }).text;
  const textLang = isLanguage(text) ? text : a.lang;
  const missing = info.state === 'draft' ? await missingFor(a.deps, { content: JSON.stringify(content) }) : [];
  return noticeVersionPage(a, { info, rendered: renderNotice(content, textLang, String(version)), textLang, missing }, state);
}

/** GET /admin/privacy/notice/:version: one version as people read it. */
export const noticeVersionShow: AdminHandler = async (a, req) => versionPage(a, req);

/** POST /admin/privacy/notice/:version/publish: refused with the missing items while any is missing. */
export const noticePublish = formAction({
  schema: z.object({}),
  run: (a, _input, req) => publishNotice(a.deps, versionOf(req)),
  done: (_a, r) => ({ to: `/admin/privacy/notice/${r.version}`, flash: 'notice.publishedFlash' }),
  form: (a, state, req) => versionPage(a, req, state),
});

const editPage = async (a: AdminCtx, state?: FormState) => {
  const e = await noticeEditor(a.deps);
  return noticeEditPage(a, e, state ?? freshForm(e.values));
};

/** GET /admin/privacy/notice/edit: the notice's own texts, from the newest version. */
export const noticeEdit: AdminHandler = async (a) => editPage(a);

/** POST /admin/privacy/notice: saves the texts as a new draft (nothing is published). */
export const noticeSaveDraft = formAction({
  schema: z.record(z.string(), z.string()),
  run: (a, input) => draftNoticeTexts(a.deps, input),
  done: (_a, r) => (r.version === null ? { to: '/admin/privacy', flash: 'notice.unchangedFlash' } : { to: `/admin/privacy/notice/${r.version}`, flash: 'notice.savedFlash' }),
  form: (a, state) => editPage(a, state),
});
