import type { BlockList } from 'node:net';
import type { Env } from '../config/env-readers';
import { readAddressList } from '../config/list-readers';

/** Loopback only unless told otherwise, in every mode: a safe default needs no production override. */
export const DEFAULT_METRICS_ALLOWED_IPS = '127.0.0.1,::1';

/**
 * METRICS_ALLOWED_IPS: the addresses (or CIDR ranges) whose `GET /metrics` is answered, i.e. the
 * Prometheus servers. A bad entry stops start-up with a ConfigValidationError naming the variable.
 */
export function readMetricsAllowedIps(env: Env): BlockList {
  const raw = env.METRICS_ALLOWED_IPS?.trim() || DEFAULT_METRICS_ALLOWED_IPS;
  return readAddressList({ METRICS_ALLOWED_IPS: raw }, 'METRICS_ALLOWED_IPS');
}
