import { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * In-memory ThrottlerStorage with the same fixed-window semantics as the Redis storage's script.
 * Why not @nestjs/throttler's own ThrottlerStorageService: it keeps one timer per counted hit,
 * which at gateway rates means millions of live timers (measured: throughput fell to a fifth
 * within seconds, bench/gateway). Here a window is one small object; a sweep drops stale ones.
 */
export class FixedWindowMemoryStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(), 10_000).unref();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    return this.hit(key, ttl, limit, blockDuration, throttlerName);
  }

  /** `increment` without the Promise: the gateway's limiter counts in memory synchronously. */
  hit(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (!window || (window.expiresAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    } else if (window.expiresAt <= now) {
      window.hits = 0;
      window.expiresAt = now + ttl;
    }
    window.hits += 1;
    if (window.blockedUntil <= now && window.hits > limit) window.blockedUntil = now + blockDuration;
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, window] of this.windows)
      if (window.expiresAt <= now && window.blockedUntil <= now) this.windows.delete(id);
  }
}
