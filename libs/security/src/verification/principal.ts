import type { CallerIdentity } from './caller-identity';

/** Who is calling, as established by a verified access token. Built only by AccessTokenVerifier. */
export interface Principal {
  readonly sub: string;
  /** `client_id` (RFC 9068); empty when the AS does not send it. */
  readonly clientId: string;
  /** `scope` split on spaces; scopes compare as whole strings, never by prefix. */
  readonly scopes: readonly string[];
  readonly region?: string;
  /** `transaction_id`: binds a transaction token to exactly one object (e.g. one payment). */
  readonly transactionId?: string;
  readonly jti?: string;
  /**
   * `act.sub` (RFC 8693 §4.1): the service that exchanged this token and now acts for `sub`.
   * Absent on a token the user's own client holds. Earlier actors stay nested in `claims.act`.
   */
  readonly actor?: string;
  readonly exp: number;
  /**
   * RFC 8705 `cnf["x5t#S256"]`: the token is accepted only over a connection whose verified client
   * certificate has this thumbprint. Absent on an unbound (plain bearer) token.
   */
  readonly certificateThumbprint?: string;
  /**
   * The workload that sent this request (verified client certificate), when the connection has one:
   * for a user's token forwarded by payments it names payments, while `sub` names the user.
   */
  readonly caller?: CallerIdentity;
  /** Every verified claim, for app-specific rules. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The raw JWT, kept only to forward it to internal services. Never log it. */
  readonly token: string;
}
