/**
 * Bounded cache of tokens whose signature and claims were already verified.
 * The key is the WHOLE token: keying by signature alone would let an attacker pair a known-good
 * signature with an edited payload. Entries belong to one key-set version; when the JWKS changes the
 * cache is emptied (a removed key must stop working at once). Eviction is oldest-first, which keeps a
 * hit to one Map lookup.
 */
export class VerifiedTokenCache<T extends { exp: number }> {
  private readonly entries = new Map<string, T>();
  private keySetVersion = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string, keySetVersion: number): T | undefined {
    if (keySetVersion !== this.keySetVersion) {
      this.entries.clear();
      this.keySetVersion = keySetVersion;
      return undefined;
    }
    return this.entries.get(token);
  }

  set(token: string, value: T, keySetVersion: number): void {
    if (this.maxEntries === 0 || keySetVersion !== this.keySetVersion) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, value);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}
