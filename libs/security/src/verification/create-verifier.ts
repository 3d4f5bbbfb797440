import type { SecurityOptions } from '../config/security-options';
import { AccessTokenVerifier, type VerifierOptions } from './access-token-verifier';
import { JwksKeyStore } from './jwks-key-store';
import { LocalKeySet, type LocalJwks } from './local-key-set';

export type VerifierLogger = { warn(message: string): void };

/**
 * A verifier whose keys are held in this process (see LocalKeySet) rather than fetched from
 * `jwksUri`. Every other option is the verifier's own: the same rules apply to these tokens.
 */
export interface LocalVerifierOptions extends VerifierOptions {
  localJwks: LocalJwks;
}

/**
 * THE way to build a verifier outside Nest (`provideAccessTokenVerifier` uses it inside Nest):
 * one key source and one AccessTokenVerifier on it.
 * - resolved SecurityOptions (`resolveSecurityOptions`): keys from `OAUTH_JWKS_URI` through a
 *   JwksKeyStore; call `keyStore.warm()` at start-up;
 * - LocalVerifierOptions: keys from the issuer's own process (an authorization server verifying
 *   the tokens it signed), no HTTP.
 */
export function createAccessTokenVerifier(
  options: SecurityOptions,
  logger?: VerifierLogger,
): { verifier: AccessTokenVerifier; keyStore: JwksKeyStore };
export function createAccessTokenVerifier(
  options: LocalVerifierOptions,
  logger?: VerifierLogger,
): { verifier: AccessTokenVerifier; keyStore: LocalKeySet };
export function createAccessTokenVerifier(
  options: SecurityOptions | LocalVerifierOptions,
  logger?: VerifierLogger,
): { verifier: AccessTokenVerifier; keyStore: JwksKeyStore | LocalKeySet } {
  const keyStore =
    'localJwks' in options
      ? new LocalKeySet(options.localJwks, options.algorithms, logger)
      : new JwksKeyStore({
          jwksUri: options.jwksUri,
          minRefreshIntervalMs: options.jwksMinRefreshIntervalMs,
          retryAfterFailureMs: options.jwksRetryAfterFailureMs,
          maxAgeMs: options.jwksMaxAgeMs,
          timeoutMs: options.jwksTimeoutMs,
          algorithms: options.algorithms,
          logger,
        });
  return { verifier: new AccessTokenVerifier(options, keyStore), keyStore };
}
