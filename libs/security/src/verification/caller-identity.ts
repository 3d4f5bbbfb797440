/**
 * The workload on the other end of the connection, from the client certificate the server's TLS
 * stack verified against its CA. It names who FORWARDS the request; the token names for whom.
 */
export interface CallerIdentity {
  /** SHA-256 of the certificate's DER, base64url: what RFC 8705 `cnf.x5t#S256` is compared with. */
  readonly thumbprint: string;
  /** The certificate's single SAN URI when it is a SPIFFE id (`spiffe://<trust-domain>/<workload>`). */
  readonly spiffeId?: string;
  readonly trustDomain?: string;
  /** The SPIFFE id's path without the leading slash (e.g. `payments`). */
  readonly workload?: string;
}
