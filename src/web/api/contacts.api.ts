/**
 * Contact API: the evidence behind a contact's permissions (GDPR 7(1)).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../services/deps.js';
import { contactEvidence } from '../../services/rights/evidence.js';

export const contactRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: { id: string } }>('/contacts/:id/evidence', async (request) => contactEvidence(deps, request.params.id));
};
