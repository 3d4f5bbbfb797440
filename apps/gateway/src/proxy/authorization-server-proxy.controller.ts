import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayExceptionFilter } from '../http/gateway-exception.filter';
import { IpRateLimitGuard } from '../rate-limit/ip-rate-limit.guard';
import { COOKIES } from '../token-handler/session-cookies';
import { upstreamPath } from './forwardable-request';
import { UpstreamForwarder } from './upstream-forwarder';

const GATEWAY_COOKIES = new Set<string>(Object.values(COOKIES));

/**
 * The authorization server's PUBLIC endpoints, passed through as they are: discovery, keys,
 * authorize and its sign-in pages, token and revocation. Introspection is deliberately absent:
 * it is for the gateway alone and is never reachable from the internet.
 */
@ApiExcludeController()
@Controller()
@UseFilters(GatewayExceptionFilter)
@UseGuards(IpRateLimitGuard)
export class AuthorizationServerProxyController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly forwarder: UpstreamForwarder,
  ) {}

  @Get(['.well-known/openid-configuration', '.well-known/oauth-authorization-server', 'jwks', 'auth', 'auth/:uid', 'interaction/*'])
  read(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.pass(req, reply);
  }

  @Post(['auth', 'interaction/*', 'token', 'token/revocation'])
  write(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    this.pass(req, reply);
  }

  private pass(req: FastifyRequest, reply: FastifyReply): void {
    const path = upstreamPath(`/api${req.url}`);
    this.forwarder.forward(req, reply, {
      url: `${this.config.authorizationServerUrl}${path}`,
      cookie: this.foreignCookies(req),
      allowSetCookie: true,
      body: formBody(req),
    });
  }

  /** The AS's own cookies (sign-in session) go to it; the gateway's session cookies never do. */
  private foreignCookies(req: FastifyRequest): string | undefined {
    const raw = req.headers.cookie ?? '';
    const pairs = raw.split(';').map((pair) => pair.trim()).filter((pair) => pair && !GATEWAY_COOKIES.has(pair.split('=')[0].trim()));
    return pairs.length ? pairs.join('; ') : undefined;
  }
}

/** Forms were parsed by the framework; the AS gets them re-encoded with every repeated field kept. */
function formBody(req: FastifyRequest): string | undefined {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || typeof req.body !== 'object' || !req.body) return undefined;
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(req.body as Record<string, unknown>)) {
    for (const item of [value].flat()) form.append(name, String(item));
  }
  return form.toString();
}
