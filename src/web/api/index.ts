/**
 * The JSON API under /api/v1, behind an API key (Authorization: Bearer <key>).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../services/deps.js';

export interface ApiOptions {
  deps: Deps;
}

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async () => {};
