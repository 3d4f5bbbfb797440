import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PlatformMetrics } from '@zt/platform';
import { Gauge } from 'prom-client';
import { Repository } from 'typeorm';
import { OutboxEvent } from './outbox-event.entity';

/**
 * The outbox as Prometheus sees it, read on each scrape with one query: how many events wait to be
 * published, and how long the oldest has waited (the `OutboxStuck` alert: a healthy relay publishes
 * within a second, so an old row means Kafka or the relay is down and approvals are not settling).
 */
@Injectable()
export class OutboxMetrics {
  constructor(@InjectRepository(OutboxEvent) outbox: Repository<OutboxEvent>, @Optional() metrics?: PlatformMetrics) {
    if (!metrics) return;
    const read = async () => {
      const [row] = (await outbox.query(
        `SELECT count(*)::int AS backlog,
                COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS oldest
           FROM outbox_events WHERE published_at IS NULL`,
      )) as { backlog: number; oldest: number }[];
      return row ?? { backlog: 0, oldest: 0 };
    };
    new Gauge({
      name: 'payments_outbox_backlog',
      help: 'Outbox events not yet published to Kafka',
      registers: [metrics.registry],
      async collect() {
        this.set((await read()).backlog);
      },
    });
    new Gauge({
      name: 'payments_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox event not yet published (0 when none waits)',
      registers: [metrics.registry],
      async collect() {
        this.set((await read()).oldest);
      },
    });
  }
}
