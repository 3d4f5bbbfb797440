import type { FastifyInstance } from 'fastify';
import type { PlatformMetrics } from './platform-metrics';

/** The label of a request that matched no route: one fixed name, whatever path was asked for. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every answered request under its route TEMPLATE (`/payments/:id`), never the
 * raw path: ids in paths would put personal data in labels and explode their number.
 */
export function registerRequestMetrics(fastify: FastifyInstance, metrics: PlatformMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
