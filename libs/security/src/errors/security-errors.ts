/**
 * The library's only error module. Every error carries a stable `code` (in the style of
 * panva/jose's `ERR_JWT_EXPIRED`) that goes to the log and to tests. What the client sees is
 * deliberately vaguer: telling an attacker *why* a forged token failed helps them forge the next one.
 */
export const ErrorCode = {
  TOKEN_MISSING: 'ERR_TOKEN_MISSING',
  TOKEN_MALFORMED: 'ERR_TOKEN_MALFORMED',
  HEADER_TOO_LARGE: 'ERR_AUTH_HEADER_TOO_LARGE',
  ALG_NOT_ALLOWED: 'ERR_JWS_ALG_NOT_ALLOWED',
  CRIT_UNSUPPORTED: 'ERR_JWS_CRIT_UNSUPPORTED',
  TYP_INVALID: 'ERR_JWT_TYP_INVALID',
  KEY_NOT_FOUND: 'ERR_JWKS_NO_MATCHING_KEY',
  JWKS_UNAVAILABLE: 'ERR_JWKS_UNAVAILABLE',
  KEY_ALG_MISMATCH: 'ERR_JWK_ALG_MISMATCH',
  SIGNATURE_INVALID: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  EXPIRED: 'ERR_JWT_EXPIRED',
  NOT_YET_VALID: 'ERR_JWT_NOT_YET_VALID',
  ISSUED_IN_FUTURE: 'ERR_JWT_ISSUED_IN_FUTURE',
  ISSUER_INVALID: 'ERR_JWT_ISSUER_INVALID',
  AUDIENCE_INVALID: 'ERR_JWT_AUDIENCE_INVALID',
  CLAIM_INVALID: 'ERR_JWT_CLAIM_INVALID',
  /** RFC 8705 §3: a certificate-bound token presented without that client certificate on the connection. */
  CERTIFICATE_MISMATCH: 'ERR_TOKEN_CERTIFICATE_MISMATCH',
  /** The verified client certificate names a workload the route does not accept (`@AllowedCallers`). */
  CALLER_NOT_ALLOWED: 'ERR_CALLER_NOT_ALLOWED',
  INSUFFICIENT_SCOPE: 'ERR_INSUFFICIENT_SCOPE',
  CLAIM_MISMATCH: 'ERR_CLAIM_MISMATCH',
  NOT_FOUND: 'ERR_RESOURCE_NOT_FOUND',
  FORWARD_TARGET_NOT_ALLOWED: 'ERR_FORWARD_TARGET_NOT_ALLOWED',
  UPSTREAM_UNAUTHORIZED: 'ERR_UPSTREAM_UNAUTHORIZED',
  UPSTREAM_FORBIDDEN: 'ERR_UPSTREAM_FORBIDDEN',
  UPSTREAM_REDIRECT: 'ERR_UPSTREAM_REDIRECT_REFUSED',
  EVENT_BINDING_MISMATCH: 'ERR_EVENT_BINDING_MISMATCH',
  EVENT_ACTOR_NOT_ALLOWED: 'ERR_EVENT_ACTOR_NOT_ALLOWED',
  EVENT_PAYLOAD_SHAPE: 'ERR_EVENT_PAYLOAD_SHAPE',
  CONFIG_INVALID: 'ERR_CONFIG_INVALID',
  UNGUARDED_HANDLER: 'ERR_UNGUARDED_HANDLER',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: `message` is for the log (never contains a token), `clientDetail` is for the caller. */
export abstract class SecurityError extends Error {
  abstract readonly status: number;
  readonly clientDetail: string = 'Request not authorized';
  constructor(
    readonly code: ErrorCode,
    logMessage: string,
  ) {
    super(logMessage);
    this.name = new.target.name;
  }

  /** One line for the log: stable code first so logs can be searched and alerted on. */
  toLogString(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** 401 without an error code: RFC 6750 §3.1 says a request with no credentials gets a bare challenge. */
export class MissingTokenError extends SecurityError {
  readonly status = 401;
  override readonly clientDetail = 'Authentication required';
  constructor(logMessage = 'no bearer token in the Authorization header') {
    super(ErrorCode.TOKEN_MISSING, logMessage);
  }
}

/** 401 `error="invalid_token"`: one uniform answer whatever the reason (the reason is in `code`). */
export class InvalidTokenError extends SecurityError {
  readonly status = 401;
  override readonly clientDetail = 'The access token is invalid';
}

/** 400 `error="invalid_request"` (RFC 6750 §3.1): e.g. an Authorization header too large to parse. */
export class InvalidRequestError extends SecurityError {
  readonly status = 400;
  override readonly clientDetail = 'The request is malformed';
}

/** 403 `error="insufficient_scope"` with the scopes the route needs (RFC 6750 §3.1). */
export class InsufficientScopeError extends SecurityError {
  readonly status = 403;
  override readonly clientDetail = 'The access token does not grant the required scope';
  constructor(
    readonly requiredScopes: readonly string[],
    readonly mode: 'all' | 'any',
  ) {
    super(ErrorCode.INSUFFICIENT_SCOPE, `route needs ${mode} of [${requiredScopes.join(' ')}]`);
  }
}

/** 403: the token is valid but bound to another object (e.g. another `transaction_id`). */
export class ForbiddenError extends SecurityError {
  readonly status = 403;
  override readonly clientDetail = 'The access token is not valid for this resource';
}

/** 404 on purpose: "not yours" must look exactly like "does not exist" (no existence oracle). */
export class ResourceNotFoundError extends SecurityError {
  readonly status = 404;
  override readonly clientDetail = 'Resource not found';
  constructor(logMessage = 'object is not owned by the caller or does not exist') {
    super(ErrorCode.NOT_FOUND, logMessage);
  }
}

/** Raised by ServiceClient: the token must never leave for a host that is not configured. */
export class ForwardingError extends SecurityError {
  readonly status = 502;
  override readonly clientDetail = 'Upstream service call failed';
  constructor(
    code: ErrorCode,
    logMessage: string,
    readonly upstreamStatus?: number,
  ) {
    super(code, logMessage);
  }
}

/** Kafka: an event whose token or binding is not acceptable. It is dead-lettered, never processed. */
export class EventRejectedError extends SecurityError {
  readonly status = 401;
  constructor(code: ErrorCode, logMessage: string) {
    super(code, logMessage);
  }
}

/** Start-up configuration problem: the message is the single line the operator reads. */
export class ConfigurationError extends SecurityError {
  readonly status = 500;
  constructor(variable: string, problem: string) {
    super(ErrorCode.CONFIG_INVALID, `Invalid configuration: ${variable} ${problem}`);
  }
  override toLogString(): string {
    return this.message;
  }
}

/**
 * Start-up refusal: a route or message handler declares no requirement. The message names every
 * offender, so one failed start lists all the work left to do.
 */
export class UnguardedHandlerError extends SecurityError {
  readonly status = 500;
  constructor(problems: readonly string[]) {
    super(ErrorCode.UNGUARDED_HANDLER, problems.join('; '));
  }
  override toLogString(): string {
    return this.message;
  }
}
