import type { Principal } from '@zt/security';

/** A verified phantom token, or a remembered "inactive". */
export type CachedIntrospection =
  { active: true; jwt: string; principal: Principal; expiresAt: number } | { active: false; expiresAt: number };

/**
 * Bounded map from SHA-256(opaque token) to the last answer. The opaque token itself is never a
 * key (a heap dump must not hand out live tokens). Oldest entries go first when full (a Map
 * keeps insertion order); expired entries are dropped when read.
 */
export class IntrospectionCache {
  private readonly entries = new Map<string, CachedIntrospection>();

  constructor(private readonly maxEntries: number) {}

  get(hash: string, nowMs: number): CachedIntrospection | undefined {
    const entry = this.entries.get(hash);
    if (entry && entry.expiresAt <= nowMs) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry;
  }

  set(hash: string, entry: CachedIntrospection): void {
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, entry);
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }

  get size(): number {
    return this.entries.size;
  }
}
