import { Logger } from '@nestjs/common';
import { watchTlsFiles, TlsFileWatchOptions } from './tls-file-watcher';
import { loadTlsMaterial, TlsMaterial } from './tls-material';
import type { TlsFiles } from './tls-settings';

export type TlsMaterialListener = (material: TlsMaterial) => void;

const DEFAULT_WATCH: TlsFileWatchOptions = { debounceMs: 250, pollMs: 30_000 };

/**
 * The workload's current TLS material, re-read when its files change on disk so a rotated
 * certificate is used without a restart. Injectable in every app started by createService:
 * the HTTPS listener, the outgoing HTTP dispatcher, and Kafka and PostgreSQL clients read
 * `current()` and subscribe with `onChange`. Material that does not check out (half written, a key
 * that is not the certificate's) is logged and ignored: the last good material stays in use and the
 * next change is tried again.
 * `current()` is undefined when TLS is off (development without TLS files: plain HTTP on loopback).
 */
export class TlsMaterialService {
  private readonly logger = new Logger('Tls');
  private readonly listeners = new Set<TlsMaterialListener>();
  private material?: TlsMaterial;
  private stopWatching?: () => void;

  /** Reads the files now; throws TlsMaterialError when they do not check out (a start-up error). */
  constructor(
    readonly files: TlsFiles | undefined,
    private readonly watchOptions: TlsFileWatchOptions = DEFAULT_WATCH,
  ) {
    if (files) this.material = loadTlsMaterial(files);
  }

  get enabled(): boolean {
    return this.files !== undefined;
  }

  current(): TlsMaterial | undefined {
    return this.material;
  }

  /** Called with the new material after each successful rotation; returns the unsubscribe. */
  onChange(listener: TlsMaterialListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts watching the files (idempotent; nothing to watch when TLS is off). */
  watch(): void {
    const files = this.files;
    if (!files || this.stopWatching) return;
    this.stopWatching = watchTlsFiles(
      [files.certFile, files.keyFile, files.caFile],
      () => this.reload(),
      this.watchOptions,
    );
  }

  /**
   * Reads the files again; applies them when they changed and check out. Returns whether new
   * material was applied. Called by the watcher; callable directly (a SIGHUP handler, a test).
   */
  reload(): boolean {
    if (!this.files || !this.material) return false;
    let next: TlsMaterial;
    try {
      next = loadTlsMaterial(this.files);
    } catch (error) {
      this.logger.error(`TLS material not reloaded, keeping the current certificate: ${(error as Error).message}`);
      return false;
    }
    const before = this.material.pem;
    if (next.pem.cert === before.cert && next.pem.key === before.key && next.pem.ca === before.ca) return false;
    this.material = next;
    this.logger.log(
      `TLS material reloaded: certificate ${next.spiffeId ?? '(no SPIFFE id)'}, expires ${next.expiresAt.toISOString()}`,
    );
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch (error) {
        this.logger.error(`applying the reloaded TLS material failed: ${(error as Error).message}`);
      }
    }
    return true;
  }

  /** Stops watching (app close). */
  close(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.listeners.clear();
  }
}
