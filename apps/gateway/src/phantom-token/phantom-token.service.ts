import { hash as sha } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessTokenVerifier, ErrorCode, SecurityError, type Principal } from '@zt/security';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayErrorCode, GatewayTokenError } from '../errors/gateway-errors';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AuthorizationServerUnavailableError } from '../authorization-server/authorization-server-unavailable.error';
import { IntrospectionCache } from './introspection-cache';
import { IntrospectionClient } from './introspection.client';

/** What an opaque token stands for: the verified principal (its JWT is `principal.token`). */
export interface ResolvedToken {
  principal: Principal;
  cacheHit: boolean;
}

/**
 * The phantom token pattern: opaque token in, verified JWT out. Answers are cached by SHA-256 of
 * the opaque token until the earlier of the JWT's `exp` and GATEWAY_INTROSPECTION_CACHE_MAX_SECONDS
 * (the cap bounds how long a revoked token keeps working); "inactive" is cached briefly so a flood
 * of garbage tokens does not become a flood of introspections. Concurrent requests with the same
 * uncached token share ONE introspection (single-flight). The JWT is verified with the same
 * AccessTokenVerifier the APIs use: the gateway trusts the AS's keys, not the network path to it.
 */
@Injectable()
export class PhantomTokenService {
  private readonly logger = new Logger('PhantomToken');
  private readonly cache: IntrospectionCache;
  private readonly inFlight = new Map<string, Promise<ResolvedToken>>();
  private readonly hits: { inc(): void };
  private readonly misses: { inc(): void };

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly client: IntrospectionClient,
    private readonly verifier: AccessTokenVerifier,
    private readonly metrics: GatewayMetrics,
  ) {
    this.cache = new IntrospectionCache(config.introspection.cacheSize);
    this.hits = metrics.introspectionCache.labels('hit');
    this.misses = metrics.introspectionCache.labels('miss');
  }

  /** Hex SHA-256: its first 16 characters are the token fingerprint the audit and the APIs log. */
  static hash(token: string): string {
    return sha('sha256', token, 'hex');
  }

  async resolve(opaque: string, hash = PhantomTokenService.hash(opaque)): Promise<ResolvedToken> {
    const cached = this.cache.get(hash, Date.now());
    if (cached) {
      this.hits.inc();
      if (!cached.active) throw new GatewayTokenError(GatewayErrorCode.TOKEN_INACTIVE, 'token is not active (cached)');
      // Zero trust on a hit too: expiry re-checked (verifyCached), and a changed key set means a full re-verification.
      return {
        principal: this.verifier.verifyCached(cached.jwt) ?? (await this.verifier.verify(cached.jwt)),
        cacheHit: true,
      };
    }
    this.misses.inc();
    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.introspect(opaque, hash).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
    }
    return pending;
  }

  /** Forget a token at once (logout through the token handler). */
  forget(opaque: string): void {
    this.cache.delete(PhantomTokenService.hash(opaque));
  }

  private async introspect(opaque: string, hash: string): Promise<ResolvedToken> {
    const stop = this.metrics.introspectionLatency.startTimer();
    let outcome = 'error';
    try {
      const answer = await this.client.introspect(opaque);
      if (!answer.active) {
        outcome = 'inactive';
        const seconds = this.config.introspection.negativeCacheSeconds;
        if (seconds > 0) this.cache.set(hash, { active: false, expiresAt: Date.now() + seconds * 1000 });
        throw new GatewayTokenError(GatewayErrorCode.TOKEN_INACTIVE, 'token is not active');
      }
      const principal = await this.verifyPhantom(answer.jwt);
      outcome = 'active';
      const capMs = Date.now() + this.config.introspection.cacheMaxSeconds * 1000;
      this.cache.set(hash, {
        active: true,
        jwt: answer.jwt,
        principal,
        expiresAt: Math.min(principal.exp * 1000, capMs),
      });
      return { principal, cacheHit: false };
    } finally {
      stop({ outcome });
    }
  }

  private async verifyPhantom(jwt: string): Promise<Principal> {
    try {
      return await this.verifier.verify(jwt);
    } catch (error) {
      if (error instanceof SecurityError && error.code === ErrorCode.JWKS_UNAVAILABLE) {
        throw new AuthorizationServerUnavailableError('JWKS unreachable for the phantom token key');
      }
      // The AS handed us a JWT our own verifier refuses: a misconfiguration worth an error log, and a refusal.
      this.logger.error(
        `phantom token from the authorization server failed verification: ${(error as SecurityError).code ?? (error as Error).message}`,
      );
      throw error;
    }
  }
}
