import { SUPPORTED_ALGORITHMS, type JwsAlgorithm } from '../config/security-options';
import type { JwksFetchObserver } from './verification-observer';
import { checkJwk, type VerificationKey } from './jwk-validation';

export type { VerificationKey } from './jwk-validation';

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
  /** OAUTH_ALGORITHMS: a key none of them can use is ignored when the set is loaded (default: all supported). */
  algorithms?: readonly JwsAlgorithm[];
}

export type KeyLookup = { status: 'found'; key: VerificationKey } | { status: 'unknown' } | { status: 'unavailable' };

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
  private readonly algorithms: readonly JwsAlgorithm[];
  /** Rejections already logged: a bad key stays in a refetched set, one warning per key is enough. */
  private readonly reported = new Set<string>();
  /** Told of every fetch's outcome (metrics); set once at start-up by VerificationObserverBinding. */
  private observer?: JwksFetchObserver;

  constructor(private readonly options: KeyStoreOptions) {
    this.now = options.now ?? Date.now;
    this.algorithms = options.algorithms ?? SUPPORTED_ALGORITHMS;
  }

  /** One observer per store (the app's metrics): a later call replaces it. */
  observe(observer: JwksFetchObserver): void {
    this.observer = observer;
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
    const gap = this.lastFetchFailed
      ? Math.min(this.options.retryAfterFailureMs ?? 2000, this.options.minRefreshIntervalMs)
      : this.options.minRefreshIntervalMs;
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
      this.observer?.onJwksFetch('success');
    } catch (error) {
      this.lastFetchFailed = true;
      this.observer?.onJwksFetch('failure');
      this.options.logger?.warn(
        `JWKS fetch from ${this.options.jwksUri} failed (${(error as Error).message}); keeping ${this.keys.size} cached key(s)`,
      );
    }
  }

  private install(document: { keys?: unknown }): void {
    if (!Array.isArray(document.keys)) throw new Error('JWKS has no "keys" array');
    const next = new Map<string, VerificationKey>();
    for (const jwk of document.keys as unknown[]) {
      const checked = checkJwk(jwk, this.algorithms);
      if ('key' in checked) next.set(checked.key.kid ?? '', checked.key);
      else this.reportRejected(checked.kid, checked.rejected);
    }
    const fingerprint = JSON.stringify(
      [...next.keys()].sort().map((kid) => [kid, next.get(kid)!.key.export({ format: 'jwk' })]),
    );
    if (fingerprint !== this.fingerprint) {
      this.fingerprint = fingerprint;
      this.version++;
    }
    this.keys = next;
  }

  /** A bad key is skipped, never fatal: the good keys of the same set keep working. No key material is logged. */
  private reportRejected(kid: string | undefined, reason: string): void {
    const name = kid === undefined ? '(no kid)' : JSON.stringify(kid.slice(0, 100));
    if (this.reported.has(`${name} ${reason}`)) return;
    this.reported.add(`${name} ${reason}`);
    this.options.logger?.warn(`JWKS key ${name} ignored: ${reason}`);
  }
}
