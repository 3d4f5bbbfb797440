import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';
import { IpRateLimitGuard } from './ip-rate-limit.guard';
import { RateLimiter } from './rate-limiter';

/**
 * In memory by default; with REDIS_URL every gateway instance counts in the same Redis, so N
 * instances enforce ONE limit. Redis errors never hang a request: one retry, then the limiter fails open
 * (the storage owns the connection and closes it on shutdown).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        throttlers: config.rateLimits.map((rule) => ({
          name: rule.name,
          limit: rule.limit,
          ttl: rule.windowSeconds * 1000,
        })),
        setHeaders: false,
        storage: config.redisUrl
          ? new ThrottlerStorageRedisService(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 })
          : new FixedWindowMemoryStorage(),
      }),
    }),
  ],
  providers: [RateLimiter, IpRateLimitGuard],
  exports: [RateLimiter, IpRateLimitGuard],
})
export class RateLimitModule {}
