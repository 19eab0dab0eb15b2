/**
 * Organisation API: purposes, forms, the controller's identity, recipients, transfers and retention rules —
 * what the admin app's Purposes, Forms and Organisation pages change, through the same services
 * (services/organisation/).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { organisationSchema } from '../../core/organisation.js';
import { retentionRulesSchema } from '../../core/retention.js';
import type { Deps } from '../../services/deps.js';
import { createForm, formAppearanceSchema, getForm, listFormViews, updateForm } from '../../services/organisation/forms.js';
import {
  organisationSettings,
  recipientInputSchema,
  setRecipients,
  setRetentionRules,
  setTransfers,
  transferInputSchema,
  updateOrganisation,
} from '../../services/organisation/organisation.js';
import { archivePurpose, createPurpose, getPurpose, listPurposeViews, purposeFieldsSchema, purposeIdSchema, updatePurpose } from '../../services/organisation/purposes.js';
import { responses } from './schemas.js';

const text = z.object({ nl: z.string(), en: z.string() });
const nullableText = z.object({ nl: z.string().nullable(), en: z.string().nullable() });

const purposeSchema = z
  .object({
    id: z.string(),
    name: text,
    description: text,
    category: z.string(),
    bases: z.array(z.string()),
    doubleOptIn: z.boolean(),
    frequency: nullableText,
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Purpose' });

const noticeRevisionSchema = z
  .object({
    version: z.number().int().nullable().describe('the new notice version; null when the notice did not change'),
    published: z.boolean(),
    missing: z.array(z.object({ item: z.string(), field: z.string(), en: z.string(), nl: z.string() })),
  })
  .meta({ id: 'NoticeRevision' });

const formTextsSchema = z.object({ title: z.string(), intro: z.string(), labels: z.record(z.string(), z.string()) });
const formSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    purposeIds: z.array(z.string()),
    leadMagnetPurposeId: z.string().nullable(),
    doubleOptIn: z.boolean(),
    texts: z.object({ nl: formTextsSchema, en: formTextsSchema }),
    appearance: z.object({ logoUrl: z.string().optional(), accentColour: z.string().optional(), thankYouUrl: z.string().optional() }),
    url: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Form' });

const formBodySchema = z.object({
  name: z.string(),
  purposeIds: z.array(z.string()).min(1).describe('one unticked box per purpose'),
  leadMagnetPurposeId: z.string().nullable().optional(),
  doubleOptIn: z.boolean().optional(),
  singleOptInAcknowledged: z.boolean().optional(),
  texts: z.object({ nl: formTextsSchema, en: formTextsSchema }).partial().optional(),
  appearance: formAppearanceSchema.optional(),
});
const formBox = (id: string) => ({ purposeIds: [id], preTicked: false, required: false });
const warningsSchema = z.array(z.object({ field: z.string(), code: z.string(), message_en: z.string(), message_nl: z.string(), source: z.string() }));

const idParams = z.object({ id: z.string().min(1) });

export const organisationRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/purposes', {
    schema: { summary: 'Every purpose, archived ones last', tags: ['purposes'], response: responses({ 200: z.array(purposeSchema) }) },
  }, async () => listPurposeViews(deps));

  app.post('/purposes', {
    schema: {
      summary: 'Create a purpose; the privacy notice gets a new version',
      tags: ['purposes'],
      body: purposeFieldsSchema.extend({ id: purposeIdSchema }),
      response: responses({ 201: z.object({ purpose: purposeSchema, notice: noticeRevisionSchema }) }, 400),
    },
  }, async (request, reply) => reply.code(201).send(await createPurpose(deps, request.body)));

  app.get('/purposes/:id', {
    schema: { summary: 'One purpose', tags: ['purposes'], params: idParams, response: responses({ 200: purposeSchema }, 404) },
  }, async (request) => getPurpose(deps, request.params.id));

  app.put('/purposes/:id', {
    schema: {
      summary: 'Change a purpose (category and bases are fixed once people gave permission)',
      tags: ['purposes'],
      params: idParams,
      body: purposeFieldsSchema,
      response: responses({ 200: z.object({ purpose: purposeSchema, notice: noticeRevisionSchema }) }, 400, 404),
    },
  }, async (request) => updatePurpose(deps, request.params.id, request.body));

  app.post('/purposes/:id/archive', {
    schema: {
      summary: 'Archive a purpose (no new forms or campaigns; evidence stays), or bring it back with archived: false',
      tags: ['purposes'],
      params: idParams,
      body: z.object({ archived: z.boolean().default(true) }),
      response: responses({ 200: purposeSchema }, 400, 404),
    },
  }, async (request) => archivePurpose(deps, request.params.id, request.body.archived));

  app.get('/forms', {
    schema: { summary: 'Every sign-up form', tags: ['forms'], response: responses({ 200: z.array(formSchema) }) },
  }, async () => listFormViews(deps));

  app.get('/forms/:id', {
    schema: { summary: 'One sign-up form', tags: ['forms'], params: idParams, response: responses({ 200: formSchema }, 404) },
  }, async (request) => getForm(deps, request.params.id));

  app.post('/forms', {
    schema: {
      summary: 'Create a sign-up form (one unticked box per purpose; refused when a guard says no)',
      tags: ['forms'],
      body: formBodySchema.extend({ id: z.string() }),
      response: responses({ 201: z.object({ form: formSchema, warnings: warningsSchema }) }, 400),
    },
  }, async (request, reply) => {
    const { purposeIds, ...rest } = request.body;
    const { warnings } = await createForm(deps, { ...rest, boxes: purposeIds.map(formBox) });
    return reply.code(201).send({ form: await getForm(deps, rest.id), warnings });
  });

  app.put('/forms/:id', {
    schema: {
      summary: 'Change a sign-up form (the same checks as creating one)',
      tags: ['forms'],
      params: idParams,
      body: formBodySchema,
      response: responses({ 200: z.object({ form: formSchema, warnings: warningsSchema }) }, 400, 404),
    },
  }, async (request) => {
    const { purposeIds, ...rest } = request.body;
    const { warnings } = await updateForm(deps, request.params.id, { ...rest, boxes: purposeIds.map(formBox) });
    return { form: await getForm(deps, request.params.id), warnings };
  });

  app.get('/organisation', {
    schema: {
      summary: 'The organisation: identity, recipients, transfers, settings that change decisions, retention rules',
      tags: ['organisation'],
      response: responses({ 200: z.looseObject({ organisation: z.looseObject({}).nullable(), recipients: z.unknown(), transfers: z.unknown(), decisions: z.looseObject({}), retention: z.looseObject({}) }) }),
    },
  }, async () => organisationSettings(deps));

  app.put('/organisation', {
    schema: {
      summary: "Change the controller's identity (name, postal address, KvK, From, Reply-To); the notice follows",
      tags: ['organisation'],
      body: organisationSchema,
      response: responses({ 200: z.object({ organisation: z.looseObject({}), notice: noticeRevisionSchema }) }, 400, 409),
    },
  }, async (request) => updateOrganisation(deps, request.body));

  app.put('/organisation/recipients', {
    schema: {
      summary: 'State the recipients of personal data (GDPR 13(1)(e)), or "none"',
      tags: ['organisation'],
      body: z.object({ recipients: z.union([z.literal('none'), z.array(recipientInputSchema)]) }),
      response: responses({ 200: noticeRevisionSchema }, 400),
    },
  }, async (request) => setRecipients(deps, request.body.recipients));

  app.put('/organisation/transfers', {
    schema: {
      summary: 'State transfers outside the EEA with their safeguards (GDPR 13(1)(f)), or "none"',
      tags: ['organisation'],
      body: z.object({ transfers: z.union([z.literal('none'), z.array(transferInputSchema)]) }),
      response: responses({ 200: noticeRevisionSchema }, 400),
    },
  }, async (request) => setTransfers(deps, request.body.transfers));

  app.patch('/settings/retention', {
    schema: {
      summary: 'Change retention rules (merged over the rules in force)',
      tags: ['organisation'],
      body: retentionRulesSchema.strict(),
      response: responses({ 200: retentionRulesSchema }, 400),
    },
  }, async (request) => setRetentionRules(deps, request.body));
};
