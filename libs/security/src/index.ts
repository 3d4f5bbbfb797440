// Public surface of @zt/security. Everything an app needs is exported from here.
export { SecurityModule, type SecurityModuleAsyncOptions } from './security.module';
export { SECURITY_OPTIONS } from './security.constants';
export {
  resolveSecurityOptions,
  SUPPORTED_ALGORITHMS,
  type JwsAlgorithm,
  type SecurityOptions,
} from './config/security-options';
export * from './errors/security-errors';

// Verification alone is also its own entry file, ./verification/index.ts (no guards, Kafka or forwarding).
export {
  AccessTokenVerifier,
  JwksKeyStore,
  JwksWarmUp,
  LocalKeySet,
  createAccessTokenVerifier,
  provideAccessTokenVerifier,
  assertScopes,
  type VerifierOptions,
  type KeyStoreOptions,
  type KeyLookup,
  type LocalJwks,
  type LocalVerifierOptions,
  type VerifierLogger,
  type ScopeRequirement,
  type Principal,
  type CallerIdentity,
} from './verification';

export {
  VERIFICATION_OBSERVER,
  refusalCode,
  type VerificationObserver,
  type JwksFetchObserver,
  type JwksFetchOutcome,
} from './verification/verification-observer';

export { Public } from './authz/public.decorator';
export { Scopes, AnyScope } from './authz/scopes.decorator';
export { Authenticated } from './authz/authenticated.decorator';
export { ClaimMatchesParam } from './authz/claim-matches-param.decorator';
export { CurrentPrincipal } from './authz/current-principal.decorator';
export { CallerWorkload } from './authz/caller-workload.decorator';
export { AllowedCallers } from './authz/allowed-callers.decorator';
export { callerIdentityOf, identityFromCertificate } from './transport/peer-certificate';
export { assertOwnedBy } from './authz/assert-owned-by';
export { JwtAuthGuard } from './authz/jwt-auth.guard';
export { AccessTokenStrategy } from './authz/access-token.strategy';

export { extractBearerToken } from './http/bearer-token';
export { Rfc6750ExceptionFilter } from './http/rfc6750-exception.filter';
export { tokenFingerprint } from './http/token-fingerprint';
export {
  DEFAULT_JSON_SHAPE_LIMITS,
  findJsonShapeViolation,
  type JsonShapeLimit,
  type JsonShapeLimits,
  type JsonShapeViolation,
} from './json/json-shape';

export { ServiceClient, type ForwardOptions } from './forwarding/service-client';

export { EventHeaders, readHeader } from './kafka/kafka-headers';
export { buildEventMessage, KafkaEventPublisher, type OutgoingEvent } from './kafka/kafka-event-publisher';
export { assertEventBoundToToken, eventDigest, type EventClaimBindings } from './kafka/event-binding';
export { deadLetterRecord, shouldDeadLetter, DLQ_SUFFIX, DlqHeaders } from './kafka/dead-letter';
export { KafkaEventGuard } from './kafka/kafka-event.guard';
export { KafkaEventDeserializer, RefusedEventPayload } from './kafka/kafka-event.deserializer';
export { KafkaDeadLetterFilter } from './kafka/kafka-dead-letter.filter';
export { EventPrincipal } from './kafka/event-principal.decorator';
export { SecureEventPattern, type SecureEventOptions } from './kafka/secure-event-pattern.decorator';
export {
  ServiceTokenClient,
  TOKEN_EXCHANGE_GRANT,
  type ServiceTokenClientOptions,
  type ExchangeRequest,
} from './exchange/service-token.client';
export { serviceTokenClientProvider } from './exchange/service-token-client.provider';
