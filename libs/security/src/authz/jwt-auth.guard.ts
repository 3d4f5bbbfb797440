import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SECURITY_OPTIONS } from '../security.constants';
import type { SecurityOptions } from '../config/security-options';
import { MissingTokenError } from '../errors/security-errors';
import { extractBearerToken } from '../http/bearer-token';
import { KafkaEventGuard } from '../kafka/kafka-event.guard';
import { AccessTokenVerifier } from '../verification/access-token-verifier';
import { callerIdentityOf } from '../transport/peer-certificate';
import { callerLabel } from '../http/caller-label';
import { assertCallerAllowed, assertClaimsMatchParams, assertScopes } from './authorization-rules';
import { attachPrincipal } from './current-principal.decorator';
import { RouteRequirementsCache, type RouteRequirements } from './route-requirements';
import type { Principal } from '../verification/principal';
import { refusalCode, VERIFICATION_OBSERVER, type VerificationObserver } from '../verification/verification-observer';

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  method?: string;
  url?: string;
}

/**
 * The global guard (APP_GUARD): every route needs a valid bearer token unless @Public().
 * Order: public? -> token from the Authorization header -> AccessTokenVerifier (with the connection's
 * verified client certificate, for RFC 8705 bound tokens) -> scopes -> claim/param bindings -> callers. Kafka (rpc) contexts are handed to the KafkaEventGuard, which uses the same verifier;
 * any other transport is refused, so a newly connected microservice fails closed.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly routes: RouteRequirementsCache;
  private readonly logger = new Logger('Security');

  constructor(
    reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly kafkaGuard: KafkaEventGuard,
    @Inject(SECURITY_OPTIONS) private readonly options: SecurityOptions,
    @Optional() @Inject(VERIFICATION_OBSERVER) private readonly observer?: VerificationObserver,
  ) {
    this.routes = new RouteRequirementsCache(reflector);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routes.get(context.getHandler(), context.getClass());
    if (route.isPublic) return true;
    const type = context.getType<string>();
    if (type === 'rpc') return this.kafkaGuard.canActivate(context);
    if (type !== 'http') throw new MissingTokenError(`no authentication for transport ${type}`);

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const verified = this.verifyToken(request);
    if (verified instanceof Promise) return verified.then((principal) => this.authorize(request, route, principal));
    return this.authorize(request, route, verified);
  }

  /** The request's token, verified; each outcome told to the observer (metrics) when there is one. */
  private verifyToken(request: AuthenticatedRequest): Principal | Promise<Principal> {
    const observer = this.observer;
    try {
      const token = extractBearerToken(request.headers.authorization, this.options.maxAuthorizationHeaderBytes);
      // The workload at the other end of the connection (memoised per socket); none on plain HTTP.
      const caller = callerIdentityOf(request);
      // Repeat tokens are answered synchronously from the verified-token cache (no promise, no I/O).
      const cached = this.verifier.verifyCached(token, caller);
      if (cached) {
        observer?.onVerified();
        return cached;
      }
      const pending = this.verifier.verify(token, caller);
      if (!observer) return pending;
      return pending.then(
        (principal) => {
          observer.onVerified();
          return principal;
        },
        (error: unknown) => {
          observer.onRefused(refusalCode(error));
          throw error;
        },
      );
    } catch (error) {
      observer?.onRefused(refusalCode(error));
      throw error;
    }
  }

  private authorize(request: AuthenticatedRequest, route: RouteRequirements, principal: Principal): true {
    attachPrincipal(request, principal);
    assertScopes(principal, route.scopes);
    assertClaimsMatchParams(principal, route.claimParams, request.params);
    assertCallerAllowed(principal, route.callers);
    // Refusals are logged by the RFC 6750 filter; here the allowed ones, with who forwarded the
    // request and for whom (ids only, never the token). Debug level: one line per request.
    if (Logger.isLevelEnabled('debug')) {
      this.logger.debug(
        `allowed ${request.method} ${request.url?.split('?')[0]} sub=${principal.sub} ` +
          `client=${principal.clientId || '-'} jti=${principal.jti ?? '-'} caller=${callerLabel(principal.caller)}`,
      );
    }
    return true;
  }
}
