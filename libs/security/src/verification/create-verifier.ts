import type { SecurityOptions } from '../config/security-options';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksKeyStore } from './jwks-key-store';

/** Wires the one key store and the one verifier for a process from resolved options. */
export function createAccessTokenVerifier(
  options: SecurityOptions,
  logger?: { warn(message: string): void },
): { verifier: AccessTokenVerifier; keyStore: JwksKeyStore } {
  const keyStore = new JwksKeyStore({
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
