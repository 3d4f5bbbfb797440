// The verification entry point: everything needed to verify access tokens and check scopes, and
// nothing else (no guards, no Kafka, no forwarding). The package root re-exports all of it.
export { SECURITY_OPTIONS } from '../security.constants';
export {
  resolveSecurityOptions,
  SUPPORTED_ALGORITHMS,
  type JwsAlgorithm,
  type SecurityOptions,
} from '../config/security-options';
export {
  ConfigurationError,
  ErrorCode,
  InsufficientScopeError,
  InvalidTokenError,
  SecurityError,
} from '../errors/security-errors';
export { AccessTokenVerifier, type VerifierOptions } from './access-token-verifier';
export { JwksKeyStore, type KeyLookup, type KeyStoreOptions } from './jwks-key-store';
export { LocalKeySet, type LocalJwks } from './local-key-set';
export { createAccessTokenVerifier, type LocalVerifierOptions, type VerifierLogger } from './create-verifier';
export { provideAccessTokenVerifier } from './verifier.providers';
export { JwksWarmUp } from './jwks-warm-up.service';
export { assertScopes } from '../authz/authorization-rules';
export type { ScopeRequirement } from '../authz/security-metadata';
export type { Principal } from './principal';
export type { CallerIdentity } from './caller-identity';
