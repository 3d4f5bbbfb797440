import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * two gateways in one process (tests) never share counters. Labels are bounded: `route` is the
 * route-table prefix or a fixed name, never the raw path (ids in paths would explode cardinality).
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests by route and status',
    labelNames: ['route', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request to response, by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly introspectionCache = new Counter({
    name: 'gateway_introspection_cache_total',
    help: 'Opaque token look-ups by result (hit, miss)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly introspectionLatency = new Histogram({
    name: 'gateway_introspection_duration_seconds',
    help: 'Introspection calls to the authorization server by outcome (active, inactive, error)',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'gateway_rate_limit_rejections_total',
    help: 'Requests refused with 429, by dimension',
    labelNames: ['dimension'],
    registers: [this.registry],
  });
  readonly rateLimitStoreErrors = new Counter({
    name: 'gateway_rate_limit_store_errors_total',
    help: 'Rate-limit counts that failed (store unreachable); the request was let through',
    registers: [this.registry],
  });

  /** Labelled children by `route|status`: the label set is bounded, so they are looked up once. */
  private readonly byRouteAndStatus = new Map<string, { count: () => void; time: (seconds: number) => void }>();

  /** One finished request: counted and timed under its route and status. */
  observeRequest(route: string, status: number, seconds: number): void {
    const key = `${route}|${status}`;
    let child = this.byRouteAndStatus.get(key);
    if (!child) {
      const labels = { route, status: String(status) };
      const counter = this.requests.labels(labels);
      const histogram = this.latency.labels(labels);
      child = { count: () => counter.inc(), time: (value) => histogram.observe(value) };
      this.byRouteAndStatus.set(key, child);
    }
    child.count();
    child.time(seconds);
  }

  constructor() {
    const hits = this.introspectionCache;
    new Gauge({
      name: 'gateway_introspection_cache_hit_ratio',
      help: 'Cache hits / look-ups since start',
      registers: [this.registry],
      // Computed when scraped, so the hot path only increments counters.
      async collect() {
        const values = (await hits.get()).values;
        const count = (result: string) => values.find((v) => v.labels.result === result)?.value ?? 0;
        const total = count('hit') + count('miss');
        this.set(total === 0 ? 0 : count('hit') / total);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
  }
}
