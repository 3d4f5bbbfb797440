import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface VerificationKey {
  kid?: string;
  /** The JWK's own `alg`, when the AS pinned one. */
  alg?: string;
  /** Parsed once per key set, never per request (re-parsing PEM costs more than the signature check). */
  key: KeyObject;
}

export interface KeyStoreOptions {
  jwksUri: string;
  minRefreshIntervalMs: number;
  /**
   * Gap before the next attempt after a FAILED fetch (capped by minRefreshIntervalMs). Short, so a
   * service that started before its authorization server picks the keys up within seconds, yet
   * still bounded, so an outage plus a flood of unknown kids makes at most one fetch per gap.
   */
  retryAfterFailureMs?: number;
  maxAgeMs: number;
  timeoutMs: number;
  /** Refuse JWKS documents larger than this (a hostile or broken AS must not exhaust memory). */
  maxBytes?: number;
  logger?: { warn(message: string): void };
  now?: () => number;
}

export type KeyLookup =
  | { status: 'found'; key: VerificationKey }
  | { status: 'unknown' }
  | { status: 'unavailable' };

/**
 * Keys from OAUTH_JWKS_URI, and from nowhere else. One instance per process.
 * - unknown `kid`: one refetch, at most once per `minRefreshIntervalMs` (an attacker spraying random
 *   kids cannot turn us into a JWKS flooder);
 * - concurrent refetches share one request;
 * - a failed fetch keeps the cached keys (fail closed only for keys we never had).
 */
export class JwksKeyStore {
  /** Bumped whenever the key set changes, so caches built on the old set are dropped. */
  version = 0;
  fetchCount = 0;
  private keys = new Map<string, VerificationKey>();
  private fingerprint = '';
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private lastFetchFailed = false;
  private inflight?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: KeyStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Synchronous when the key is cached (the common case costs no promise); async only to fetch. */
  get(kid: string | undefined): KeyLookup | Promise<KeyLookup> {
    const cached = this.find(kid);
    if (cached) {
      if (this.now() - this.loadedAt >= this.options.maxAgeMs) void this.refresh();
      return { status: 'found', key: cached };
    }
    return this.fetchAndFind(kid);
  }

  private async fetchAndFind(kid: string | undefined): Promise<KeyLookup> {
    await this.refresh();
    const fresh = this.find(kid);
    if (fresh) return { status: 'found', key: fresh };
    return this.lastFetchFailed ? { status: 'unavailable' } : { status: 'unknown' };
  }

  /** Start-up warm-up. Never throws: the AS being down must not stop the service from starting. */
  async warm(): Promise<boolean> {
    await this.refresh(true);
    return !this.lastFetchFailed;
  }

  /** Without a `kid`, a key is only chosen when the set holds exactly one (no guessing among several). */
  private find(kid: string | undefined): VerificationKey | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    return this.keys.size === 1 ? this.keys.values().next().value : undefined;
  }

  private refresh(force = false): Promise<void> {
    if (this.inflight) return this.inflight;
    const gap = this.lastFetchFailed ? Math.min(this.options.retryAfterFailureMs ?? 2000, this.options.minRefreshIntervalMs) : this.options.minRefreshIntervalMs;
    if (!force && this.now() - this.lastAttemptAt < gap) return Promise.resolve();
    this.lastAttemptAt = this.now();
    this.inflight = this.load().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async load(): Promise<void> {
    this.fetchCount++;
    try {
      const response = await fetch(this.options.jwksUri, {
        redirect: 'error',
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > (this.options.maxBytes ?? 512 * 1024)) throw new Error('JWKS document too large');
      this.install(JSON.parse(text) as { keys?: unknown });
      this.lastFetchFailed = false;
      this.loadedAt = this.now();
    } catch (error) {
      this.lastFetchFailed = true;
      this.options.logger?.warn(`JWKS fetch from ${this.options.jwksUri} failed (${(error as Error).message}); keeping ${this.keys.size} cached key(s)`);
    }
  }

  private install(document: { keys?: unknown }): void {
    if (!Array.isArray(document.keys)) throw new Error('JWKS has no "keys" array');
    const next = new Map<string, VerificationKey>();
    for (const jwk of document.keys as JsonWebKey[]) {
      const key = toVerificationKey(jwk);
      if (key) next.set(key.kid ?? '', key);
    }
    const fingerprint = JSON.stringify([...next.keys()].sort().map((kid) => [kid, next.get(kid)!.key.export({ format: 'jwk' })]));
    if (fingerprint !== this.fingerprint) {
      this.fingerprint = fingerprint;
      this.version++;
    }
    this.keys = next;
  }
}

/** Only public signature keys: symmetric (`oct`) and encryption keys are never usable for verification. */
function toVerificationKey(jwk: JsonWebKey): VerificationKey | undefined {
  if (jwk === null || typeof jwk !== 'object') return undefined;
  if (!['RSA', 'EC', 'OKP'].includes(jwk.kty as string)) return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return undefined;
  // Copy only the public members, so a JWKS that wrongly publishes `d` never yields a private key.
  const { kty, n, e, crv, x, y } = jwk;
  try {
    const key = createPublicKey({ key: { kty, n, e, crv, x, y } as JsonWebKey, format: 'jwk' });
    return { kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined, key };
  } catch {
    return undefined;
  }
}
