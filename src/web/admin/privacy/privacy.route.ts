/**
 * Handlers of the record of processing (GDPR 30) and retention pages (access in routes.ts). The record comes
 * from services/rights/processing-record.ts and its CSV from the one CSV writer (core/csv.ts, formula cells made
 * inert); retention from services/rights/retention.ts: the page shows a dry run that is not logged (a GET
 * changes nothing), "run now" is a real, logged run, asked twice.
 */
import { z } from 'zod';
import { isLanguage } from '../../../core/vocab.js';
import { outboxFolderOf } from '../../../services/rights/manage.js';
import { buildProcessingRecord, processingRecordCsv } from '../../../services/rights/processing-record.js';
import { retentionPreview, runRetention } from '../../../services/rights/retention.js';
import { confirmedAction, type AdminHandler } from '../handler.js';
import { RETENTION_ROWS_SHOWN, recordPage, retentionPage } from './privacy.view.js';

/** GET /admin/privacy/record */
export const recordShow: AdminHandler = async (a) => recordPage(a, await buildProcessingRecord(a.deps, a.lang));

/** GET /admin/privacy/record.csv?lang=nl|en: the record as CSV (default: the page's language). */
export const recordCsv: AdminHandler = async (a, req, reply) => {
  const q = (req.query as { lang?: string }).lang;
  const lang = isLanguage(q) ? q : a.lang;
  const body = await processingRecordCsv(a.deps, lang);
  const name = lang === 'nl' ? 'verwerkingsregister.csv' : 'record-of-processing.csv';
  return reply.header('content-disposition', `attachment; filename="${name}"`).type('text/csv; charset=utf-8').send(body);
};

const preview = (a: Parameters<AdminHandler>[0]) => retentionPreview(a.deps, RETENTION_ROWS_SHOWN);

/** GET /admin/privacy/retention: what the next run would erase, and who is held for an open request. */
export const retentionShow: AdminHandler = async (a) => retentionPage(a, await preview(a));

/** GET /admin/privacy/retention/run asks, POST does it: erases what the rules say now (a logged run). */
export const retentionRun: AdminHandler = async (a, req, reply) => {
  const confirming = (req.body as Record<string, unknown> | undefined)?.confirm === 'yes';
  const count = confirming ? 0 : (await preview(a)).report.erase.length; // the question names the count; the run itself plans again
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('retention.run'),
    question: (c) => c.t('retention.runQuestion', { count }),
    cancel: '/admin/privacy/retention',
    run: (c) => runRetention(c.deps, { dryRun: false, outboxDir: outboxFolderOf(c.deps.mailer) }),
    done: () => ({ to: '/admin/privacy/retention', flash: 'retention.ran' }),
    form: async (c) => retentionPage(c, await preview(c)),
  })(a, req, reply);
};
