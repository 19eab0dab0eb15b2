/**
 * `POST /api/v1/decisions`: asks the send gate from outside (docs/decisions.md). Body `{ facts, now? }` as
 * `parseDecisionInput` takes it; answer 200 with the decision (`toDecisionOutput`), or 400 naming the field path.
 */
import type { FastifyPluginAsync } from 'fastify';
import { decide } from '../../core/policy/decide.js';
import { parseDecisionInput, toDecisionOutput } from '../../core/policy/facts-schema.js';
import type { Deps } from '../../services/deps.js';

export const decisionRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.post('/decisions', async (request, reply) => {
    let input;
    try {
      input = parseDecisionInput(request.body ?? {});
    } catch (err) {
      const message = (err as Error).message;
      const field = /at ([^:]+):/.exec(message)?.[1] ?? 'facts';
      return reply.code(400).send({ error: { code: 'invalid-input', message, field } });
    }
    return toDecisionOutput(decide(input.facts, input.now ?? deps.clock.now()));
  });
};
