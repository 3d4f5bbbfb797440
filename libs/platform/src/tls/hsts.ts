import type { FastifyInstance } from 'fastify';

/**
 * RFC 6797: browsers that once reached the public listener over HTTPS refuse plain HTTP to it (and
 * its subdomains) for a year, so a network attacker cannot strip TLS from a later visit. Sent on
 * every answer (errors and 404s included) by an onSend hook; only when TLS is on, since browsers
 * ignore it over HTTP anyway.
 */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

export function addHsts(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('strict-transport-security', HSTS_VALUE);
    done(null, payload);
  });
}
