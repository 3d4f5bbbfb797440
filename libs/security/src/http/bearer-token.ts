import { ErrorCode, InvalidRequestError, InvalidTokenError, MissingTokenError } from '../errors/security-errors';

const SCHEME = /^bearer(?: |$)/i;

/**
 * Reads the token from the Authorization header ONLY: never the query string (it ends up in logs,
 * history and Referer) and never the body. Oversized headers are refused before anything else.
 * RFC 6750 §2.1: `Bearer` (any case), spaces, the token. The token's characters are not re-checked
 * here: AccessTokenVerifier accepts only three base64url segments, and a cache hit is by definition
 * a token it already accepted (this keeps the per-request cost of a repeat token minimal).
 */
export function extractBearerToken(authorization: string | string[] | undefined, maxBytes: number): string {
  if (authorization === undefined || authorization === '') throw new MissingTokenError();
  if (Array.isArray(authorization))
    throw new InvalidRequestError(ErrorCode.TOKEN_MALFORMED, 'several Authorization headers');
  if (authorization.length > maxBytes) {
    throw new InvalidRequestError(ErrorCode.HEADER_TOO_LARGE, `Authorization header of ${authorization.length} bytes`);
  }
  // Another scheme (Basic, DPoP...) is not a bearer token: answer as if none was sent.
  if (!SCHEME.test(authorization)) throw new MissingTokenError('Authorization header uses another scheme');
  const token = authorization.slice(6).trim();
  if (token === '')
    throw new InvalidTokenError(ErrorCode.TOKEN_MALFORMED, 'Authorization header is "Bearer" without a token');
  return token;
}
