import type { DynamicModule, Type } from '@nestjs/common';
import type { Env } from '../config/env-readers';
import { declaresOwnMetricsRoute } from './own-metrics-route';
import { PlatformMetrics } from './platform-metrics';
import { PlatformMetricsModule } from './platform-metrics.module';
import { readMetricsAllowedIps } from './metrics-settings';

export interface ServiceMetrics {
  metrics: PlatformMetrics;
  module: DynamicModule;
  /** The platform serves `GET /metrics` (and so counts requests): false when the app has its own. */
  served: boolean;
}

/** What createService adds for metrics: a fresh registry per app, and the route unless the app has one. */
export function serviceMetrics(root: Type<unknown>, env: Env, route: boolean | undefined): ServiceMetrics {
  const allowedIps = readMetricsAllowedIps(env);
  const served = route ?? !declaresOwnMetricsRoute(root);
  const metrics = new PlatformMetrics();
  return { metrics, served, module: PlatformMetricsModule.forService({ metrics, allowedIps, route: served }) };
}
