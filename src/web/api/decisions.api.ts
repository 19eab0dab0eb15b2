/**
 * `POST /api/v1/decisions`: asks the send gate from outside (docs/decisions.md). Body `{ facts, now? }` validated
 * by `decisionInputSchema` (the schema `consentry decide` uses); answer 200 with the decision
 * (`toDecisionOutput`), or 400 naming the field path.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decide } from '../../core/policy/decide.js';
import { toDecisionOutput } from '../../core/policy/facts-schema.js';
import type { Deps } from '../../services/deps.js';
import { decisionInput, decisionOutput, responses } from './schemas.js';

export const decisionRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.post('/decisions', {
    schema: {
      summary: 'Decide one message for one contact from JSON facts',
      tags: ['decisions'],
      body: decisionInput,
      response: responses({ 200: decisionOutput }, 400),
    },
  }, async (request) => {
    const { facts, now } = request.body;
    return toDecisionOutput(decide(facts, now ? new Date(now) : deps.clock.now()));
  });
};
