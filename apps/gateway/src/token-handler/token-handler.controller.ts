import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { tokenFingerprint } from '@zt/security';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayExceptionFilter } from '../app/gateway-exception.filter';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { DeniedException, GatewayErrorCode, GatewayTokenError } from '../errors/gateway-errors';
import { requestContext } from '../http/request-context';
import { PhantomTokenService } from '../phantom-token/phantom-token.service';
import { IpRateLimitGuard } from '../rate-limit/ip-rate-limit.guard';
import { TOKEN_HANDLER_ROUTES } from '../routing/gateway-routes';
import { assertCsrfSafe } from './csrf-check';
import { OAuthAgentClient, TokenSet } from './oauth-agent.client';
import { codeChallenge, randomToken, sameString } from './pkce';
import { COOKIES, SessionCookies } from './session-cookies';

const LOGIN_TTL_SECONDS = 600;
const REFRESH_COOKIE_SECONDS = 14 * 24 * 3600;

/**
 * The token handler (OAuth agent) for browsers: the SPA never sees a token. It starts a login
 * (code + PKCE), finishes it on the redirect, refreshes and logs out; tokens live only in
 * encrypted HTTP-only cookies, which the API routes turn into the opaque token and then the JWT.
 */
@ApiTags('token handler')
@Controller(TOKEN_HANDLER_ROUTES.base)
@UseFilters(GatewayExceptionFilter)
@UseGuards(IpRateLimitGuard)
export class TokenHandlerController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly agent: OAuthAgentClient,
    private readonly cookies: SessionCookies,
    private readonly phantom: PhantomTokenService,
  ) {}

  @Post(TOKEN_HANDLER_ROUTES.login)
  @HttpCode(200)
  async login(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    assertCsrfSafe(req.method, req.headers, this.config.allowedOrigins);
    const state = randomToken();
    const verifier = randomToken();
    this.cookies.write(reply, COOKIES.login, JSON.stringify({ state, verifier }), LOGIN_TTL_SECONDS);
    return { authorizationUrl: await this.agent.authorizationUrl(state, codeChallenge(verifier)) };
  }

  @Get(TOKEN_HANDLER_ROUTES.callback)
  async callback(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('code') code?: string,
    @Query('state') state?: string,
  ) {
    const login = this.cookies.read(req, COOKIES.login);
    this.cookies.clear(reply, COOKIES.login);
    const pending = login ? (JSON.parse(login) as { state: string; verifier: string }) : undefined;
    if (!pending || typeof state !== 'string' || typeof code !== 'string' || !sameString(state, pending.state)) {
      throw new DeniedException(400, 'The login could not be completed', GatewayErrorCode.LOGIN_STATE_MISMATCH);
    }
    const tokens = await this.agent.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.config.bff.redirectUri,
      code_verifier: pending.verifier,
    });
    if (!tokens)
      throw new DeniedException(400, 'The login could not be completed', GatewayErrorCode.LOGIN_CODE_REFUSED);
    this.writeSession(req, reply, tokens);
    return reply.code(303).header('location', this.config.bff.postLoginUrl).send();
  }

  @Post(TOKEN_HANDLER_ROUTES.refresh)
  @HttpCode(204)
  async refresh(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    assertCsrfSafe(req.method, req.headers, this.config.allowedOrigins);
    const refreshToken = this.cookies.read(req, COOKIES.refresh);
    const tokens = refreshToken
      ? await this.agent.token({ grant_type: 'refresh_token', refresh_token: refreshToken })
      : undefined;
    if (!tokens) {
      this.clearSession(reply);
      if (refreshToken)
        throw new GatewayTokenError(GatewayErrorCode.REFRESH_REFUSED, 'refresh refused by the authorization server');
      if (this.cookies.isTampered(req, COOKIES.refresh))
        throw new GatewayTokenError(GatewayErrorCode.SESSION_COOKIE_TAMPERED, 'refresh cookie does not decrypt');
      throw new GatewayTokenError(GatewayErrorCode.REFRESH_COOKIE_MISSING, 'no refresh cookie');
    }
    this.writeSession(req, reply, tokens);
  }

  @Post(TOKEN_HANDLER_ROUTES.logout)
  @HttpCode(204)
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    assertCsrfSafe(req.method, req.headers, this.config.allowedOrigins);
    const accessToken = this.cookies.read(req, COOKIES.access);
    const refreshToken = this.cookies.read(req, COOKIES.refresh);
    this.clearSession(reply);
    if (accessToken) this.phantom.forget(accessToken);
    // Revoking the refresh token ends the grant; the access token dies with it at the AS.
    if (refreshToken) await this.agent.revoke(refreshToken, 'refresh_token');
    if (accessToken) await this.agent.revoke(accessToken, 'access_token');
  }

  @Get(TOKEN_HANDLER_ROUTES.session)
  async session(@Req() req: FastifyRequest) {
    const accessToken = this.cookies.read(req, COOKIES.access);
    if (!accessToken) {
      if (this.cookies.isTampered(req, COOKIES.access))
        throw new GatewayTokenError(GatewayErrorCode.SESSION_COOKIE_TAMPERED, 'session cookie does not decrypt');
      return { authenticated: false, refreshable: this.cookies.read(req, COOKIES.refresh) !== undefined };
    }
    const { principal } = await this.phantom.resolve(accessToken);
    Object.assign(requestContext(req.raw), { principal, tokenHash: tokenFingerprint(accessToken) });
    return {
      authenticated: true,
      sub: principal.sub,
      scope: principal.scopes.join(' '),
      region: principal.region,
      expiresAt: principal.exp,
    };
  }

  private writeSession(req: FastifyRequest, reply: FastifyReply, tokens: TokenSet): void {
    this.cookies.write(reply, COOKIES.access, tokens.accessToken, tokens.expiresIn);
    if (tokens.refreshToken) this.cookies.write(reply, COOKIES.refresh, tokens.refreshToken, REFRESH_COOKIE_SECONDS);
    requestContext(req.raw).tokenHash = tokenFingerprint(tokens.accessToken);
  }

  private clearSession(reply: FastifyReply): void {
    this.cookies.clear(reply, COOKIES.access);
    this.cookies.clear(reply, COOKIES.refresh);
  }
}
