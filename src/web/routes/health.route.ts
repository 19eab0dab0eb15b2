/**
 * Liveness for load balancers and `docker compose`: 200 {"status":"ok"} when the database answers a trivial
 * query, 503 {"status":"unavailable"} when it does not.
 */
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Deps } from '../../services/deps.js';

/** GET /healthz. */
export const healthRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/healthz', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await sql`select 1`.execute(deps.db);
      return reply.send({ status: 'ok' });
    } catch (err) {
      req.log.error({ err }, 'health check: database did not answer');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
};
