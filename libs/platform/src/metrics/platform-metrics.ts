import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A finished request's labels: all bounded (route template, method, status), never a raw path. */
interface RequestChild {
  count: () => void;
  time: (seconds: number) => void;
}

/**
 * One app's Prometheus metrics, in a registry of its own (never prom-client's global one): tests
 * start several apps in one process, and each must count only its own requests.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Labelled children by `method route status`: the label set is bounded, so each is looked up once. */
  private readonly children = new Map<string, RequestChild>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** One finished request, counted and timed. `route` must be the route template (or a fixed name). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.children.get(key);
    if (!child) {
      const labels = { method, route, status: String(status) };
      const counter = this.requests.labels(labels);
      const histogram = this.latency.labels(labels);
      child = { count: () => counter.inc(), time: (value) => histogram.observe(value) };
      this.children.set(key, child);
    }
    child.count();
    child.time(seconds);
  }
}
