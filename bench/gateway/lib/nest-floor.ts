// The framework floor of (1): a NestJS app on Fastify with the gateway's platform module and
// bootstrap (PlatformModule without request log, as the gateway's AppModule) and ONE proxy route
// doing what the bare proxy does (undici, answer sent whole), and none of the gateway's own work.
// Its CPU per request is the least a NestJS gateway on this platform can cost here.
import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PlatformModule } from '@zt/platform';
import { Agent } from 'undici';

export function nestFloorModule(upstreamPort: number) {
  const agent = new Agent({ connections: 128 });
  const origin = `http://127.0.0.1:${upstreamPort}`;
  class FloorRoute {
    constructor(host: HttpAdapterHost) {
      host.httpAdapter.getInstance<FastifyInstance>().get('/api/*', async (req, reply) => {
        const up = await agent.request({
          origin,
          method: 'GET',
          path: req.url.slice('/api'.length),
          headers: { authorization: req.headers.authorization ?? '' },
        });
        reply
          .code(up.statusCode)
          .header('content-type', up.headers['content-type'] as string)
          .send(Buffer.from(await up.body.arrayBuffer()));
      });
    }
  }
  @Module({
    imports: [PlatformModule.forService({ name: 'gateway', defaultPort: 8080, requestLog: false })],
    providers: [
      { provide: FloorRoute, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => new FloorRoute(host) },
    ],
  })
  class NestFloorModule {}
  return NestFloorModule;
}
