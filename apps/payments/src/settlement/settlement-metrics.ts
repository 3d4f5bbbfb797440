import { Injectable, Optional } from '@nestjs/common';
import { PlatformMetrics } from '@zt/platform';
import { Histogram } from 'prom-client';

/** From a payment's approval to its settled result, as the user waits for it (the `SettlementSlow` alert). */
@Injectable()
export class SettlementMetrics {
  private readonly seconds?: Histogram;

  constructor(@Optional() metrics?: PlatformMetrics) {
    if (!metrics) return;
    this.seconds = new Histogram({
      name: 'payments_settlement_seconds',
      help: 'Seconds from approval to the settlement result being recorded',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [metrics.registry],
    });
  }

  /** `approvedAt`: when the payment became approved (its last change before the result). */
  settled(approvedAt: Date): void {
    this.seconds?.observe(Math.max(0, (Date.now() - approvedAt.getTime()) / 1000));
  }
}
