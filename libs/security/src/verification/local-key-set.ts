import type { JwsAlgorithm } from '../config/security-options';
import { checkJwk, type VerificationKey } from './jwk-validation';
import type { KeyLookup } from './jwks-key-store';

/** The public JWKs an issuer holds in its own process (its published key set), read on each use. */
export type LocalJwks = () => readonly unknown[];

/**
 * Keys from the same process instead of OAUTH_JWKS_URI: for an issuer verifying tokens it signed
 * itself (the authorization server's token exchange), where fetching its own JWKS over HTTP would
 * only add a network failure. Every key still goes through `checkJwk` with the allowlist, exactly
 * as a fetched one does.
 *
 * The source is read on every lookup and compared by identity: an issuer replaces its key array
 * when it rotates, and then the set is rebuilt and `version` moves on, so tokens cached under the
 * old set are verified again. Lookups are synchronous: a local set is never "unavailable".
 */
export class LocalKeySet {
  private source?: readonly unknown[];
  private keys = new Map<string, VerificationKey>();
  private currentVersion = 0;
  /** Rejections already logged: the same bad key stays in the issuer's set, one warning per key is enough. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly jwks: LocalJwks,
    private readonly algorithms: readonly JwsAlgorithm[],
    private readonly logger?: { warn(message: string): void },
  ) {}

  /** Read by the verifier before its cache: it must see a rotation even when no lookup ran since. */
  get version(): number {
    this.sync();
    return this.currentVersion;
  }

  get(kid: string | undefined): KeyLookup {
    this.sync();
    // Same rule as JwksKeyStore: without a `kid`, only a set of exactly one key answers.
    const key =
      kid !== undefined ? this.keys.get(kid) : this.keys.size === 1 ? this.keys.values().next().value : undefined;
    return key ? { status: 'found', key } : { status: 'unknown' };
  }

  private sync(): void {
    const source = this.jwks();
    if (source === this.source) return;
    const next = new Map<string, VerificationKey>();
    for (const jwk of source) {
      const checked = checkJwk(jwk, this.algorithms);
      if ('key' in checked) next.set(checked.key.kid ?? '', checked.key);
      else this.reportRejected(checked.kid, checked.rejected);
    }
    this.keys = next;
    this.source = source;
    this.currentVersion++;
  }

  /** No key material is logged. */
  private reportRejected(kid: string | undefined, reason: string): void {
    const name = kid === undefined ? '(no kid)' : JSON.stringify(kid.slice(0, 100));
    if (this.reported.has(`${name} ${reason}`)) return;
    this.reported.add(`${name} ${reason}`);
    this.logger?.warn(`local key ${name} ignored: ${reason}`);
  }
}
