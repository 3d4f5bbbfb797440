import { Inject, Injectable } from '@nestjs/common';
import {
  AccessTokenVerifier,
  assertScopes,
  extractBearerToken,
  InsufficientScopeError,
  MissingTokenError,
  tokenFingerprint,
  type Principal,
} from '@zt/security';
import type { FastifyRequest } from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { DeniedException, GatewayErrorCode, GatewayTokenError } from '../errors/gateway-errors';
import { RequestContext } from '../http/request-context';
import { PhantomTokenService } from '../phantom-token/phantom-token.service';
import { looksLikeJwt } from '../phantom-token/token-kind';
import { findApiRoute, requiredScopes } from '../routing/api-routes';
import { UpstreamResolver } from '../routing/upstream-resolver';
import { assertCsrfSafe } from '../token-handler/csrf-check';
import { COOKIES, hasSessionCookie, SessionCookies } from '../token-handler/session-cookies';

/**
 * Authenticates and authorizes every API request, cache hit or not: credential (bearer opaque
 * token, or the token handler's cookie with its CSRF checks) -> verified JWT -> the route's
 * audience and minimum scopes -> upstream (by region when the data is region-bound). Leaves the
 * principal and the upstream on the request context; a refusal is a typed error thrown to the
 * GatewayExceptionFilter (the audit derives its decision from it).
 */
@Injectable()
export class ApiAuthorizer {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly phantom: PhantomTokenService,
    private readonly verifier: AccessTokenVerifier,
    private readonly cookies: SessionCookies,
    private readonly upstreams: UpstreamResolver,
  ) {}

  async authorize(req: FastifyRequest, ctx: RequestContext): Promise<void> {
    const route = findApiRoute(ctx.route);
    if (!route) throw new DeniedException(404, 'Not found', GatewayErrorCode.NO_ROUTE);
    const principal = await this.principalFor(this.credential(req), ctx);
    ctx.principal = principal;
    const audiences = principal.claims.aud;
    if (!(Array.isArray(audiences) ? audiences : [audiences]).includes(route.audience)) {
      throw new InsufficientScopeError(requiredScopes(route, req.method), 'any');
    }
    const needed = requiredScopes(route, req.method);
    assertScopes(principal, { mode: 'any', scopes: needed });
    ctx.upstream = this.upstreams.baseUrl(route, principal);
  }

  /** Authorization header first; the session cookie only when there is none (never both mixed). */
  private credential(req: FastifyRequest): string {
    if (req.headers.authorization !== undefined || !hasSessionCookie(req)) {
      return extractBearerToken(req.headers.authorization, this.config.security.maxAuthorizationHeaderBytes);
    }
    assertCsrfSafe(req.method, req.headers, this.config.allowedOrigins);
    const token = this.cookies.read(req, COOKIES.access);
    if (token === undefined) {
      if (this.cookies.isTampered(req, COOKIES.access))
        throw new GatewayTokenError(GatewayErrorCode.SESSION_COOKIE_TAMPERED, 'session cookie does not decrypt');
      throw new MissingTokenError('session cookie holds no access token (refresh needed)');
    }
    return token;
  }

  /** The audit's token hash is the SHA-256 prefix other services log too (tokenFingerprint). */
  private async principalFor(token: string, ctx: RequestContext): Promise<Principal> {
    if (!looksLikeJwt(token)) {
      const hash = PhantomTokenService.hash(token);
      ctx.tokenHash = hash.slice(0, 16);
      return (await this.phantom.resolve(token, hash)).principal;
    }
    ctx.tokenHash = tokenFingerprint(token);
    if (!this.config.acceptClientJwts)
      throw new GatewayTokenError(GatewayErrorCode.CLIENT_JWT_REFUSED, 'JWT presented by an internet client');
    return this.verifier.verify(token);
  }
}
