import type { JwsAlgorithm, SecurityOptions } from '../config/security-options';
import { ErrorCode, InvalidTokenError } from '../errors/security-errors';
import type { JwksKeyStore } from './jwks-key-store';
import { MIN_RSA_BITS, type VerificationKey } from './jwk-validation';
import type { CallerIdentity } from './caller-identity';
import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';
import { ALGORITHMS, signatureValid } from './jws-signature';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const AT_JWT_TYPES = new Set(['at+jwt', 'application/at+jwt']);
/** A SHA-256 digest in base64url without padding (RFC 8705 §3.1 `x5t#S256`). */
const SHA256_THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;
const CERTIFICATE_CONFIRMATION = 'x5t#S256';

export type VerifierOptions = Pick<
  SecurityOptions,
  | 'issuer'
  | 'audiences'
  | 'algorithms'
  | 'clockSkewSeconds'
  | 'requireAtJwtTyp'
  | 'maxAuthorizationHeaderBytes'
  | 'verifiedTokenCacheSize'
>;

/** JWS compact only: exactly three non-empty base64url parts (JWE and `alg: none`'s empty signature fail here). */
function isCompactJws(parts: string[]): parts is [string, string, string] {
  return parts.length === 3 && parts.every((p) => BASE64URL.test(p));
}

function fail(code: ErrorCode, why: string): never {
  throw new InvalidTokenError(code, why);
}

/**
 * EVERY rule for accepting an access token lives in this class (RFC 8725, RFC 9068). HTTP guard,
 * passport strategy and Kafka guard all call `verify`, so they cannot drift apart.
 * Plain TypeScript, no Nest: it can be unit-tested and reused anywhere.
 */
export class AccessTokenVerifier {
  private readonly cache: VerifiedTokenCache<Principal>;
  private readonly audiences: Set<string>;
  private readonly algorithms: Set<string>;

  constructor(
    private readonly options: VerifierOptions,
    private readonly keys: Pick<JwksKeyStore, 'get' | 'version'>,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {
    this.cache = new VerifiedTokenCache<Principal>(options.verifiedTokenCacheSize);
    this.audiences = new Set(options.audiences);
    this.algorithms = new Set(options.algorithms);
  }

  /**
   * Synchronous fast path: the principal of an already-verified token (one Map lookup), with expiry
   * and certificate binding re-checked on every call; `undefined` when the token must go through `verify`.
   * `caller`: the verified client certificate of the connection the token came on (none: plain HTTP,
   * TLS without a client certificate, or a Kafka event).
   */
  verifyCached(token: string, caller?: CallerIdentity): Principal | undefined {
    const cached = this.cache.get(token, this.keys.version);
    return cached && this.bindToConnection(this.checkExpiry(cached, token), caller);
  }

  async verify(token: string, caller?: CallerIdentity): Promise<Principal> {
    if (typeof token !== 'string' || token.length > this.options.maxAuthorizationHeaderBytes)
      fail(ErrorCode.TOKEN_MALFORMED, 'token absent or too long');
    const cached = this.verifyCached(token, caller);
    if (cached) return cached;

    const parts = token.split('.');
    // JWS compact only: exactly three non-empty base64url parts (JWE and `alg: none`'s empty signature fail here).
    if (!isCompactJws(parts)) fail(ErrorCode.TOKEN_MALFORMED, 'not a JWS compact serialization');
    const [headerPart, payloadPart, signaturePart] = parts;
    const header = decodeJson(headerPart, 'header');

    // alg comes from the allowlist only: this is where `none` in any casing and HS256 die.
    const alg = header.alg;
    if (typeof alg !== 'string' || !this.algorithms.has(alg))
      fail(ErrorCode.ALG_NOT_ALLOWED, `alg ${JSON.stringify(alg)} is not allowed`);
    // We implement no JWS extension, so any `crit` must be rejected (RFC 7515 §4.1.11).
    if (header.crit !== undefined) fail(ErrorCode.CRIT_UNSUPPORTED, 'crit header present');
    if (
      this.options.requireAtJwtTyp &&
      (typeof header.typ !== 'string' || !AT_JWT_TYPES.has(header.typ.toLowerCase()))
    ) {
      fail(ErrorCode.TYP_INVALID, `typ ${JSON.stringify(header.typ)} is not at+jwt`);
    }
    if (header.kid !== undefined && typeof header.kid !== 'string')
      fail(ErrorCode.TOKEN_MALFORMED, 'kid is not a string');

    // The key comes from OUR JWKS by kid. `jwk`, `jku`, `x5u`, `x5c` in the header are never read.
    const keySetVersion = this.keys.version;
    const pending = this.keys.get(header.kid as string | undefined);
    const lookup = pending instanceof Promise ? await pending : pending;
    if (lookup.status === 'unavailable')
      fail(ErrorCode.JWKS_UNAVAILABLE, `no key for kid ${String(header.kid)} and the JWKS is unreachable`);
    if (lookup.status === 'unknown') fail(ErrorCode.KEY_NOT_FOUND, `no key for kid ${String(header.kid)}`);
    const key = (lookup as { key: VerificationKey }).key;
    this.checkKeyMatchesAlgorithm(key, alg as JwsAlgorithm);
    if (!signatureValid(alg as JwsAlgorithm, key.key, `${headerPart}.${payloadPart}`, signaturePart)) {
      fail(ErrorCode.SIGNATURE_INVALID, `signature does not verify with kid ${String(header.kid)}`);
    }

    const principal = this.checkClaims(decodeJson(payloadPart, 'payload'), token);
    this.cache.set(token, principal, keySetVersion);
    return this.bindToConnection(principal, caller);
  }

  /**
   * RFC 8705 §3: a certificate-bound token is accepted only from the holder of that certificate, so a
   * token stolen from a service (a log, a proxy, a broker) is useless from any other workload. Runs
   * after the cache too: the cache is keyed by token, the binding depends on the connection. The
   * cached principal stays connection-free; the caller goes on a per-request copy.
   */
  private bindToConnection(principal: Principal, caller: CallerIdentity | undefined): Principal {
    const bound = principal.certificateThumbprint;
    if (bound !== undefined && bound !== caller?.thumbprint) {
      fail(
        ErrorCode.CERTIFICATE_MISMATCH,
        caller
          ? 'token is bound to another client certificate'
          : 'token is bound to a client certificate; none presented',
      );
    }
    return caller ? Object.freeze({ ...principal, caller }) : principal;
  }

  private checkKeyMatchesAlgorithm(key: VerificationKey, alg: JwsAlgorithm): void {
    const rule = ALGORITHMS[alg];
    const details = key.key.asymmetricKeyDetails ?? {};
    const mismatch =
      (key.alg !== undefined && key.alg !== alg) ||
      // Only a secret (symmetric) KeyObject lacks asymmetricKeyType: any fallback naming no key type acts the same.
      // Stryker disable next-line StringLiteral: equivalent mutant (see above)
      !rule.keyTypes.includes(key.key.asymmetricKeyType ?? '') ||
      (rule.curve !== undefined && details.namedCurve !== rule.curve) ||
      (rule.keyTypes[0] === 'rsa' && (details.modulusLength ?? 0) < MIN_RSA_BITS);
    if (mismatch) fail(ErrorCode.KEY_ALG_MISMATCH, `key ${String(key.kid)} cannot be used with ${alg}`);
  }

  private checkClaims(claims: Record<string, unknown>, token: string): Principal {
    const { iss, aud, exp, nbf, iat, sub, scope } = claims;
    const now = this.nowSeconds();
    const skew = this.options.clockSkewSeconds;
    if (iss !== this.options.issuer) fail(ErrorCode.ISSUER_INVALID, 'unexpected iss');
    const audiences = typeof aud === 'string' ? [aud] : aud;
    if (!Array.isArray(audiences) || !audiences.some((a) => typeof a === 'string' && this.audiences.has(a))) {
      fail(ErrorCode.AUDIENCE_INVALID, 'no accepted aud');
    }
    if (!isNumber(exp)) fail(ErrorCode.CLAIM_INVALID, 'exp missing or not a number');
    if (nbf !== undefined && !isNumber(nbf)) fail(ErrorCode.CLAIM_INVALID, 'nbf not a number');
    if (iat !== undefined && !isNumber(iat)) fail(ErrorCode.CLAIM_INVALID, 'iat not a number');
    if (now - skew >= (exp as number)) fail(ErrorCode.EXPIRED, 'token expired');
    if (nbf !== undefined && now + skew < (nbf as number)) fail(ErrorCode.NOT_YET_VALID, 'token not yet valid');
    if (iat !== undefined && now + skew < (iat as number)) fail(ErrorCode.ISSUED_IN_FUTURE, 'iat in the future');
    if (typeof sub !== 'string' || sub === '') fail(ErrorCode.CLAIM_INVALID, 'sub missing');
    // RFC 9068 §2.2.3 makes `scope` optional: absent means "no scopes" (a route needing one answers
    // 403 insufficient_scope). Present but not a string is a malformed token, refused outright.
    if (scope !== undefined && typeof scope !== 'string') fail(ErrorCode.CLAIM_INVALID, 'scope is not a string');
    for (const name of ['client_id', 'jti', 'region', 'transaction_id']) {
      if (claims[name] !== undefined && typeof claims[name] !== 'string')
        fail(ErrorCode.CLAIM_INVALID, `${name} is not a string`);
    }
    return Object.freeze({
      sub: sub as string,
      clientId: (claims.client_id as string | undefined) ?? '',
      scopes: Object.freeze(((scope as string | undefined) ?? '').split(' ').filter(Boolean)),
      region: claims.region as string | undefined,
      transactionId: claims.transaction_id as string | undefined,
      actor: actorOf(claims.act),
      jti: claims.jti as string | undefined,
      exp: exp as number,
      certificateThumbprint: certificateThumbprintOf(claims.cnf),
      claims: Object.freeze(claims),
      token,
    });
  }

  private checkExpiry(principal: Principal, token: string): Principal {
    if (this.nowSeconds() - this.options.clockSkewSeconds >= principal.exp) {
      this.cache.delete(token);
      fail(ErrorCode.EXPIRED, 'token expired');
    }
    return principal;
  }
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return fail(ErrorCode.TOKEN_MALFORMED, `${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(ErrorCode.TOKEN_MALFORMED, `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * `cnf` (RFC 7800), when present, must carry exactly one confirmation method this library checks:
 * `x5t#S256` (RFC 8705). Any other (`jkt` for DPoP, `jwk`, ...) is refused rather than ignored:
 * ignoring it would accept a sender-constrained token as a plain bearer token.
 */
function certificateThumbprintOf(cnf: unknown): string | undefined {
  if (cnf === undefined) return undefined;
  // Object(): null, numbers and strings become objects without an `x5t#S256` member (refused below).
  const confirmation = Object(cnf) as Record<string, unknown>;
  const thumbprint = confirmation[CERTIFICATE_CONFIRMATION];
  if (Object.keys(confirmation).length !== 1 || typeof thumbprint !== 'string' || !SHA256_THUMBPRINT.test(thumbprint)) {
    fail(ErrorCode.CLAIM_INVALID, `cnf must hold a base64url SHA-256 ${CERTIFICATE_CONFIRMATION} and nothing else`);
  }
  return thumbprint;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `act` (RFC 8693 §4.1), when present, is an object naming the acting party in a non-empty `sub`. */
function actorOf(act: unknown): string | undefined {
  if (act === undefined) return undefined;
  const sub =
    act !== null && typeof act === 'object' && !Array.isArray(act) ? (act as { sub?: unknown }).sub : undefined;
  if (typeof sub !== 'string' || sub === '') fail(ErrorCode.CLAIM_INVALID, 'act is not an object with a sub');
  return sub as string;
}
