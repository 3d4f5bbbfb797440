// Small statistics and formatting helpers for the gateway benchmark's report.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Nearest-rank percentile (p in 0..1) of an unsorted list. */
export const pct = (xs, p) => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
};

export const fixed = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** "0.61 (0.55-0.66 over 5 rounds)": median and min-max of per-round values. */
export function spread(values, digits = 2) {
  if (values.length === 0) return 'n/a';
  const range =
    values.length > 1 ? ` (${fixed(Math.min(...values), digits)}-${fixed(Math.max(...values), digits)})` : '';
  return `${fixed(median(values), digits)}${range}`;
}

/** "[target >= 0.70: met]" without failing anything: the benchmark reports, it does not assert. */
export function target(value, op, bound, unit = '') {
  const met = op === '>=' ? value >= bound : value <= bound;
  return `[target ${op} ${bound}${unit}: ${Number.isFinite(value) ? (met ? 'met' : 'NOT met') : 'n/a'}]`;
}

/** Rounds r = 0, 1, ...: even rounds in the given order, odd rounds reversed, so no scenario always runs first or last. */
export const roundOrder = (names, round) => (round % 2 ? [...names].reverse() : [...names]);
