import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { OidcProviderService } from './oidc-provider.service';

/**
 * Mounts oidc-provider (a Koa app) at the root of the Fastify server as a catch-all route.
 * Nest's own routes (/health, /docs, /interaction/...) are more specific and win. The
 * catch-all lives in its own Fastify scope whose content-type parser leaves the body unread,
 * so oidc-provider parses it itself, and the reply is handed over raw (`reply.hijack()`).
 */
@Injectable()
export class OidcMount implements OnModuleInit {
  private readonly logger = new Logger('oidc-provider');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly oidc: OidcProviderService,
  ) {}

  onModuleInit(): void {
    const fastify: FastifyInstance = this.adapterHost.httpAdapter.getInstance();
    void fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      scope.all('/*', (request, reply) => {
        reply.hijack();
        this.oidc.handle(request.raw, reply.raw).catch((error: Error) => {
          this.logger.error(`unhandled provider failure: ${error.message}`);
          if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(JSON.stringify({ error: 'server_error' }));
        });
      });
    });
  }
}
