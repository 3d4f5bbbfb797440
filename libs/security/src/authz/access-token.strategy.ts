import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport';
import { SECURITY_OPTIONS } from '../security.constants';
import type { SecurityOptions } from '../config/security-options';
import { extractBearerToken } from '../http/bearer-token';
import { callerIdentityOf } from '../transport/peer-certificate';
import { AccessTokenVerifier } from '../verification/access-token-verifier';
import type { Principal } from '../verification/principal';

type Done = (error: unknown, user?: Principal) => void;

/** A passport strategy whose whole job is to call AccessTokenVerifier (see README: why not passport-jwt). */
class BearerAccessTokenStrategy extends Strategy {
  constructor(
    private readonly authenticateRequest: (req: {
      headers: Record<string, string | string[] | undefined>;
    }) => Promise<Principal>,
    private readonly verified: (principal: Principal, done: Done) => void,
  ) {
    super();
  }

  override authenticate(req: { headers: Record<string, string | string[] | undefined> }): void {
    this.authenticateRequest(req).then(
      (principal) => this.verified(principal, (error, user) => (error ? this.error(error) : this.success(user!))),
      // error(), not fail(): the SecurityError (with its code) reaches the RFC 6750 filter intact.
      (error) => this.error(error),
    );
  }
}

/**
 * Registered as passport strategy `'jwt'`, so `@UseGuards(AuthGuard('jwt'))` works as NestJS users
 * expect, with exactly the same rules as the global JwtAuthGuard (both call the same verifier).
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(BearerAccessTokenStrategy, 'jwt') {
  constructor(verifier: AccessTokenVerifier, @Inject(SECURITY_OPTIONS) options: SecurityOptions) {
    super((req: { headers: Record<string, string | string[] | undefined> }) =>
      verifier.verify(
        extractBearerToken(req.headers.authorization, options.maxAuthorizationHeaderBytes),
        callerIdentityOf(req),
      ),
    );
  }

  validate(principal: Principal): Principal {
    return principal;
  }
}
