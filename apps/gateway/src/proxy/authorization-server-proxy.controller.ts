import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayExceptionFilter } from '../app/gateway-exception.filter';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayErrorCode, GatewayProblem } from '../errors/gateway-errors';
import type { ProblemReply } from '../http/send-problem';
import { IpRateLimitGuard } from '../rate-limit/ip-rate-limit.guard';
import { AUTHORIZATION_SERVER_ROUTES } from '../routing/gateway-routes';
import { COOKIES } from '../token-handler/session-cookies';
import { upstreamPath } from './forwardable-request';
import { UpstreamForwarder } from './upstream-forwarder';

const GATEWAY_COOKIES = new Set<string>(Object.values(COOKIES));

/**
 * The development-user grant mints a token for any user, admin included, without a password. A
 * development authorization server offers it to `npm run token` on its own address; the gateway
 * (the internet's way in) refuses it in every mode, whatever the authorization server would do.
 * Named here, not imported: the gateway imports nothing from another app.
 */
export const DEVELOPMENT_USER_GRANT = 'urn:zt:params:oauth:grant-type:dev-user';

/**
 * A refused grant type, answered in the token endpoint's own error format (RFC 6749 section 5.2),
 * which OAuth clients understand.
 */
class GrantNotOfferedError extends GatewayProblem {
  constructor() {
    super(400, GatewayErrorCode.GRANT_NOT_OFFERED, 'this grant type is not offered here');
  }

  override send(reply: ProblemReply): void {
    reply
      .code(400)
      .header('content-type', 'application/json')
      .header('cache-control', 'no-store')
      .send(JSON.stringify({ error: 'unsupported_grant_type', error_description: this.clientDetail }));
  }
}

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

  @Get(AUTHORIZATION_SERVER_ROUTES.read)
  read(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pass(req, reply);
  }

  @Post(AUTHORIZATION_SERVER_ROUTES.write)
  write(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pass(req, reply);
  }

  @Post(AUTHORIZATION_SERVER_ROUTES.token)
  token(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (grantTypes(req).includes(DEVELOPMENT_USER_GRANT)) throw new GrantNotOfferedError();
    return this.pass(req, reply);
  }

  /** Settles once the answer is sent; an upstream failure reaches the GatewayExceptionFilter. */
  private pass(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = upstreamPath(`/api${req.url}`);
    return this.forwarder.forward(req, reply, {
      url: `${this.config.authorizationServerUrl}${path}`,
      cookie: this.foreignCookies(req),
      allowSetCookie: true,
      body: formBody(req),
    });
  }

  /** The AS's own cookies (sign-in session) go to it; the gateway's session cookies never do. */
  private foreignCookies(req: FastifyRequest): string | undefined {
    const raw = req.headers.cookie ?? '';
    const pairs = raw
      .split(';')
      .map((pair) => pair.trim())
      .filter((pair) => pair && !GATEWAY_COOKIES.has(cookieName(pair)));
    return pairs.length ? pairs.join('; ') : undefined;
  }
}

/** Every grant_type the request names, in its query or its body (a repeated field counts each time). */
function grantTypes(req: FastifyRequest): string[] {
  const query = req.url.indexOf('?');
  const found = query === -1 ? [] : new URLSearchParams(req.url.slice(query + 1)).getAll('grant_type');
  const body = req.body;
  if (typeof body === 'string') found.push(...new URLSearchParams(body).getAll('grant_type'));
  else if (body && typeof body === 'object')
    found.push(
      ...[(body as Record<string, unknown>).grant_type]
        .flat()
        .filter((v) => v !== undefined)
        .map(String),
    );
  return found;
}

/** Forms were parsed by the framework; the AS gets them re-encoded with every repeated field kept. */
function formBody(req: FastifyRequest): string | undefined {
  if (
    !(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ||
    typeof req.body !== 'object' ||
    !req.body
  )
    return undefined;
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(req.body as Record<string, unknown>)) {
    for (const item of [value].flat()) form.append(name, String(item));
  }
  return form.toString();
}

/** The name of one `name=value` cookie pair (split() always yields a first element). */
function cookieName(pair: string): string {
  const [name = ''] = pair.split('=');
  return name.trim();
}
