import { Controller, Get, Module, Req, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { TLSSocket } from 'node:tls';
import { createService } from '../bootstrap/run-service';
import { PlatformModule } from '../platform.module';
import type { ListenerKind } from '../tls/listener-kind';

/** What the probe answers: how the caller's connection was authenticated, as the socket says. */
export interface PeerAnswer {
  encrypted: boolean;
  /** `socket.authorized`: the client certificate verified against the platform CA. */
  authorized: boolean;
  /** The verified peer certificate's SAN (`URI:spiffe://…, DNS:…`), as a service reads it. */
  peerSubjectAltName?: string;
}

@Controller('peer')
class PeerController {
  @Get()
  peer(@Req() request: FastifyRequest): PeerAnswer {
    const socket = request.raw.socket as Partial<TLSSocket>;
    const encrypted = socket.encrypted === true;
    return {
      encrypted,
      authorized: encrypted && socket.authorized === true,
      peerSubjectAltName: encrypted ? socket.getPeerX509Certificate?.()?.subjectAltName : undefined,
    };
  }
}

/** A fresh module class per call: the platform reads its configuration when the module is defined. */
function probeModule(name: string): Type<unknown> {
  @Module({ imports: [PlatformModule.forService({ name, defaultPort: 3999 })], controllers: [PeerController] })
  class TlsProbeModule {}
  return TlsProbeModule;
}

/**
 * The smallest app started the way runService starts one (createService, then listen), on an
 * ephemeral port of 127.0.0.1, with `env` applied while it is built (and restored after).
 * `GET /peer` says how the caller's connection was authenticated.
 */
export async function startTlsProbeApp(options: {
  name?: string;
  env: Record<string, string | undefined>;
  listener?: ListenerKind;
}): Promise<{ app: NestFastifyApplication; port: number }> {
  const saved = { ...process.env };
  Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  try {
    const name = options.name ?? 'tls-probe';
    const app = await createService({
      name,
      title: name,
      loadModule: async () => probeModule(name),
      listener: options.listener,
    });
    await app.listen(0, '127.0.0.1');
    return { app, port: (app.getHttpServer().address() as { port: number }).port };
  } finally {
    process.env = saved;
  }
}
