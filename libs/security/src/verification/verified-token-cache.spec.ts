import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  const entry = (exp: number) => ({ exp });

  it('returns entries of the current key-set version only, and empties itself on a new version', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>(10);
    cache.set('a', entry(1), 0);
    cache.set('b', entry(2), 0);
    expect(cache.get('a', 0)).toEqual(entry(1));
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('b', 1)).toBeUndefined();
  });

  it('never stores an entry verified under an older key set', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>(10);
    cache.get('x', 3);
    cache.set('old', entry(1), 2);
    expect(cache.size).toBe(0);
    cache.set('new', entry(1), 3);
    expect(cache.get('new', 3)).toEqual(entry(1));
  });

  it('is bounded: the oldest entry is evicted at the limit', () => {
    const cache = new VerifiedTokenCache<{ exp: number }>(2);
    cache.set('a', entry(1), 0);
    cache.set('b', entry(2), 0);
    expect(cache.size).toBe(2);
    cache.set('c', entry(3), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toEqual(entry(2));
    expect(cache.get('c', 0)).toEqual(entry(3));
  });

  it('stores nothing when disabled (size 0) and supports delete', () => {
    const off = new VerifiedTokenCache<{ exp: number }>(0);
    off.set('a', entry(1), 0);
    expect(off.size).toBe(0);
    const on = new VerifiedTokenCache<{ exp: number }>(1);
    on.set('a', entry(1), 0);
    on.delete('a');
    expect(on.get('a', 0)).toBeUndefined();
  });
});
