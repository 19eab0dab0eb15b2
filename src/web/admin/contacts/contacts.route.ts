/**
 * Handlers of the Contacts pages (access in routes.ts): the list (services/lists/contact-list.ts), adding a
 * contact (consent/relationships.ts), one contact's evidence (rights/evidence.ts), the printable proof and the
 * art. 15/20 download (rights/), rectification and erasure asked twice (rights/manage.ts, rights/erase.ts).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normaliseAddress } from '../../../core/address.js';
import { addContact } from '../../../services/consent/relationships.js';
import { DomainError } from '../../../services/errors.js';
import { listContactPage } from '../../../services/lists/contact-list.js';
import { listPurposeViews } from '../../../services/organisation/purposes.js';
import { eraseContact } from '../../../services/rights/erase.js';
import { contactEvidence, evidenceNames } from '../../../services/rights/evidence.js';
import { outboxFolderOf, personalDataExport, rectifyName } from '../../../services/rights/manage.js';
import { proofOfConsent } from '../../../services/rights/processing-record.js';
import { proofHtml } from '../../views/manage-documents.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { contactPage, contactsPage } from './contacts.view.js';
import { confirmedAction, domainMessage, formAction, type AdminHandler } from '../handler.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const QUERY_KEYS = ['q', 'purpose', 'status', 'basis', 'source', 'suppressed', 'group', 'after'] as const;

function queryOf(req: FastifyRequest): Record<string, string> {
  const raw = (req.query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(QUERY_KEYS.flatMap((k) => (typeof raw[k] === 'string' && raw[k] !== '' ? [[k, raw[k] as string]] : [])));
}

async function listPage(a: AdminCtx, req: FastifyRequest, addState: FormState = freshForm({ kind: 'unknown', source: 'trade_fair' })): Promise<string> {
  const query = queryOf(req);
  const purposes = await listPurposeViews(a.deps);
  try {
    return contactsPage(a, await listContactPage(a.deps, query), query, purposes, addState);
  } catch (err) {
    // A bad filter shows the list unfiltered with the message, rather than an error page.
    if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
    const page = await listContactPage(a.deps, {});
    return contactsPage(a, page, {}, purposes, addState, domainMessage(a, err));
  }
}

const display = (email: string) => {
  const n = normaliseAddress(email);
  return n.ok ? n.value.display : email;
};

async function onePage(a: AdminCtx, req: FastifyRequest, rectify?: FormState): Promise<string> {
  const ev = await contactEvidence(a.deps, idOf(req));
  return contactPage(a, ev, await evidenceNames(a.deps, ev), display(ev.contact.email), { rectify: rectify ?? freshForm({ firstName: ev.contact.first_name ?? '', lastName: ev.contact.last_name ?? '' }) });
}

/** GET /admin/contacts */
export const contactsList: AdminHandler = async (a, req) => listPage(a, req);

/** POST /admin/contacts: adds a contact with its provenance (no permission). */
export const contactAdd = formAction({
  schema: z.object({
    email: z.string().trim().min(1), firstName: z.string().trim().optional(), lastName: z.string().trim().optional(),
    kind: z.string(), source: z.string(), sourceRef: z.string().trim().optional(),
  }),
  run: (a, i) =>
    addContact(a.deps, {
      email: i.email, kind: i.kind as never, source: i.source as never,
      ...(i.firstName && { firstName: i.firstName }), ...(i.lastName && { lastName: i.lastName }), ...(i.sourceRef && { sourceRef: i.sourceRef }),
    }),
  done: (_a, r) => ({ to: `/admin/contacts/${r.contact.id}`, flash: r.created ? 'contacts.addedFlash' : 'contacts.existsFlash' }),
  form: (a, state, req) => listPage(a, req, state),
});

/** GET /admin/contacts/:id */
export const contactShow: AdminHandler = async (a, req) => onePage(a, req);

/** GET /admin/contacts/:id/proof: the printable proof of consent (GDPR 7(1)), a page of its own. */
export const contactProof: AdminHandler = async (a, req, reply) => {
  const proof = await proofOfConsent(a.deps, idOf(req), a.deps.clock.now());
  // The document carries its own print styles inline; nothing else may load or run.
  return reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").type('text/html; charset=utf-8').send(proofHtml(proof, a.lang));
};

/** GET /admin/contacts/:id/export.json|csv: the person's data (GDPR 15, 20) as a download. */
export const contactExport =
  (format: 'json' | 'csv'): AdminHandler =>
  async (a, req, reply) => {
    const file = await personalDataExport(a.deps, idOf(req), format);
    return reply.header('content-disposition', `attachment; filename="${file.filename}"`).type(file.contentType).send(file.body);
  };

/** POST /admin/contacts/:id/rectify */
export const contactRectify = formAction({
  schema: z.object({ firstName: z.string().default(''), lastName: z.string().default('') }),
  run: (a, i, req) => rectifyName(a.deps, idOf(req), i),
  done: (a) => ({ to: a.path.replace(/\/rectify$/, ''), flash: 'contact.rectified' }),
  form: (a, state, req) => onePage(a, req, state),
});

/** GET /admin/contacts/:id/erase asks, POST does it: every trace but the keyed hash on the suppression list (GDPR 17). */
export const contactErase: AdminHandler = async (a, req, reply) => {
  const ev = await contactEvidence(a.deps, idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('contact.erase'),
    question: (c) => c.t('contact.eraseQuestion', { email: display(ev.contact.email) }),
    cancel: `/admin/contacts/${ev.contact.id}`,
    run: (c) => eraseContact(c.deps, ev.contact.id, 'admin:art17', { outboxDir: outboxFolderOf(c.deps.mailer) }),
    done: () => ({ to: '/admin/contacts', flash: 'contact.erased' }),
    form: (c, state) => onePage(c, req, state),
  })(a, req, reply);
};
