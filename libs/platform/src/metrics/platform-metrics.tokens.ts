/** The BlockList of METRICS_ALLOWED_IPS, as read at start-up. */
export const METRICS_ALLOWED_IPS = Symbol('METRICS_ALLOWED_IPS');
