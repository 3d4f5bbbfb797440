import { HttpException } from '@nestjs/common';
import { ErrorCode, InvalidTokenError } from '@zt/security';
import { type ProblemReply, sendProblem } from '../http/send-problem';

/**
 * The gateway's only list of stable codes: the `reason` of every access-audit line it derives
 * itself (in the style of panva/jose's one errors module). Token refusals made by the security
 * library keep the library's codes (`ERR_TOKEN_MISSING`, `ERR_JWT_EXPIRED`, ...); the token
 * refusals the gateway makes itself have their own `ERR_` codes here, so the audit says what
 * happened instead of one `ERR_TOKEN_MALFORMED` for all of them. The client never sees a code.
 */
export const GatewayErrorCode = {
  /** An API request the gateway authenticated and authorized. */
  OK: 'OK',
  /** A request to one of the gateway's own routes that needs no decision (pages, discovery, login). */
  PUBLIC: 'PUBLIC',

  /** The authorization server says the opaque token is not active (unknown, expired, revoked). */
  TOKEN_INACTIVE: 'ERR_TOKEN_INACTIVE',
  /** An internet client presented a JWT while GATEWAY_ACCEPT_CLIENT_JWTS is off. */
  CLIENT_JWT_REFUSED: 'ERR_CLIENT_JWT_REFUSED',
  /** The authorization server refused the session's refresh token. */
  REFRESH_REFUSED: 'ERR_REFRESH_REFUSED',
  /** A refresh with no usable refresh cookie (absent or expired). */
  REFRESH_COOKIE_MISSING: 'ERR_REFRESH_COOKIE_MISSING',
  /** A session cookie that does not decrypt: tampered, truncated, transplanted or another key. */
  SESSION_COOKIE_TAMPERED: 'ERR_SESSION_COOKIE_TAMPERED',

  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  NO_ROUTE: 'NO_ROUTE',
  /** Region-bound data for a token without a `region` claim, or with one no upstream serves. */
  REGION_MISSING: 'REGION_MISSING',
  REGION_UNKNOWN: 'REGION_UNKNOWN',
  PATH_UNSAFE: 'PATH_UNSAFE',
  CONTENT_TYPE: 'CONTENT_TYPE',
  BODY_NOT_FORWARDABLE: 'BODY_NOT_FORWARDABLE',
  CSRF_ORIGIN: 'CSRF_ORIGIN',
  CSRF_HEADER_MISSING: 'CSRF_HEADER_MISSING',
  LOGIN_STATE_MISMATCH: 'LOGIN_STATE_MISMATCH',
  LOGIN_CODE_REFUSED: 'LOGIN_CODE_REFUSED',
  GRANT_NOT_OFFERED: 'GRANT_NOT_OFFERED',
  METRICS_ADDRESS: 'METRICS_ADDRESS',
  RATE_LIMIT_STORE_DOWN: 'RATE_LIMIT_STORE_DOWN',

  AS_UNAVAILABLE: 'AS_UNAVAILABLE',
  UPSTREAM_UNREACHABLE: 'UPSTREAM_UNREACHABLE',
  UPSTREAM_BODY_FAILED: 'UPSTREAM_BODY_FAILED',
  UPSTREAM_ANSWER_TOO_LARGE: 'UPSTREAM_ANSWER_TOO_LARGE',
  /** The headers were sent, but the client never got the whole answer. */
  ANSWER_NOT_FINISHED: 'ANSWER_NOT_FINISHED',
  /** Anything the gateway did not expect (a bug): the client gets a bare 500. */
  INTERNAL: 'INTERNAL',
} as const;

/**
 * A stable audit code: one of the list above, or one of its families: `RATE_LIMIT_<RULE NAME>`
 * (the rule that refused), `UPSTREAM_<status>` (an upstream 5xx), `HTTP_<status>` (an error
 * answer nothing in the gateway explained, e.g. an upstream 4xx passed on).
 */
export type GatewayErrorCode =
  | (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode]
  | `RATE_LIMIT_${string}`
  | `UPSTREAM_${number}`
  | `HTTP_${number}`;

/**
 * A refusal that is not about the token itself (CSRF, region, content type, path, rate limit): the
 * client gets a problem+json with a generic detail (the platform's ProblemDetailsFilter), the audit
 * line gets the stable `reason`.
 */
export class DeniedException extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly reason: GatewayErrorCode,
  ) {
    super({ message: detail }, status);
  }
}

/**
 * A failure the gateway answers itself, with its own problem+json (upstream failures, oversized
 * headers, a hidden route): `send` writes the answer, `reason` goes to the audit line.
 */
export class GatewayProblem extends Error {
  constructor(
    readonly status: number,
    readonly reason: GatewayErrorCode,
    /** What the client reads: generic, never the cause. */
    readonly clientDetail: string,
    logMessage: string = reason,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(logMessage);
    this.name = new.target.name;
  }

  send(reply: ProblemReply): void {
    sendProblem(reply, this.status, this.clientDetail, this.headers);
  }
}

/**
 * A token refusal the gateway makes itself. To the client it is the library's uniform
 * `invalid_token` (RFC 6750 filter, same answer whatever the reason); the library code it carries
 * is only the nearest category, `reason` says what happened, and the security log line names it.
 */
export class GatewayTokenError extends InvalidTokenError {
  constructor(
    readonly reason: (typeof GatewayErrorCode)[
      | 'TOKEN_INACTIVE'
      | 'CLIENT_JWT_REFUSED'
      | 'REFRESH_REFUSED'
      | 'REFRESH_COOKIE_MISSING'
      | 'SESSION_COOKIE_TAMPERED'],
    logMessage: string,
  ) {
    super(ErrorCode.TOKEN_MALFORMED, logMessage);
  }

  override toLogString(): string {
    return `${this.reason}: ${this.message}`;
  }
}
