import { DynamicModule, Module } from '@nestjs/common';
import type { BlockList } from 'node:net';
import { VERIFICATION_OBSERVER } from '@zt/security';
import { PlatformMetrics } from './platform-metrics';
import { SecurityMetricsObserver } from './security-metrics.observer';
import { PlatformMetricsController } from './platform-metrics.controller';
import { METRICS_ALLOWED_IPS } from './platform-metrics.tokens';

/**
 * The app's PlatformMetrics (global, so any module can count into it), the observer that counts
 * token verifications into it, and, unless the app serves its own (the gateway), `GET /metrics`.
 */
@Module({})
export class PlatformMetricsModule {
  static forService(options: { metrics: PlatformMetrics; allowedIps: BlockList; route: boolean }): DynamicModule {
    const providers = [
      { provide: PlatformMetrics, useValue: options.metrics },
      { provide: METRICS_ALLOWED_IPS, useValue: options.allowedIps },
      // Read by @zt/security's guard and key store when the app uses SecurityModule.
      { provide: VERIFICATION_OBSERVER, useValue: new SecurityMetricsObserver(options.metrics.registry) },
    ];
    return {
      module: PlatformMetricsModule,
      global: true,
      controllers: options.route ? [PlatformMetricsController] : [],
      providers,
      exports: [PlatformMetrics, VERIFICATION_OBSERVER],
    };
  }
}
