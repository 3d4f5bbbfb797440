import { BadRequestException } from '@nestjs/common';
import { findJsonShapeViolation, type JsonShapeLimits, type JsonShapeViolation } from '@zt/security';
import type { FastifyInstance } from 'fastify';

/** 400 for a JSON body over a shape limit; the message names the limit, never the body. */
export class JsonShapeException extends BadRequestException {
  /** Stable code for logs and audits (the gateway's access line), like DeniedException's. */
  readonly reason = 'JSON_SHAPE';
  constructor(readonly violation: JsonShapeViolation) {
    super(violation.message);
  }
}

/**
 * Replaces the `application/json` body parser: the raw text is checked against the shape limits
 * in one linear pass, then parsed by Fastify's own parser (secure-json-parse, which refuses
 * `__proto__` and `constructor.prototype` keys). The body size limit (413) is Fastify's
 * `bodyLimit`, enforced while the bytes arrive, before this runs. A refusal reaches Nest's
 * exception filters as an HttpException, so the client gets the platform's problem+json.
 *
 * Call it after Nest registered its parsers (FastifyAdapter.registerParserMiddleware), or Nest's
 * init() would try to add its own JSON parser on top of this one.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, limits: JsonShapeLimits): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const violation = findJsonShapeViolation(body as string, limits);
    if (violation) {
      done(new JsonShapeException(violation), undefined);
      return;
    }
    // Fastify's default JSON parser is synchronous and answers through `done`; its type only
    // allows a promise because custom parsers may be async, so there is nothing to await.
    void parse(request, body as string, done);
  });
}
