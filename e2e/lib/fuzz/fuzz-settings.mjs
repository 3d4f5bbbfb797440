// The fuzz's knobs, from the environment: one seed for the whole run (printed first, so any run
// can be replayed exactly with FUZZ_SEED) and a fixed number of generated requests per operation.
const integer = (name, fallback, min, max) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return value;
};

/** The run's seed: FUZZ_SEED to replay a run, otherwise a fresh one. */
export const FUZZ_SEED = integer('FUZZ_SEED', (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 1, 0, 0x7fffffff);

/** Generated requests per operation, after its fixed examples (FUZZ_RUNS to extend a run). */
export const FUZZ_RUNS = integer('FUZZ_RUNS', 800, 1, 100_000);

/** Requests one failing operation may spend on shrinking its counterexample (each one is a real request). */
export const FUZZ_SHRINK_REQUESTS = integer('FUZZ_SHRINK_REQUESTS', 60, 0, 10_000);

/** One operation's own seed: independent of the order and number of the other operations. */
export function operationSeed(key) {
  let h = FUZZ_SEED ^ 0x9e3779b9;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h >>> 1) & 0x7fffffff;
}

export const replayHint = () => `FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS} npm run e2e -- fuzz`;

/** FUZZ_PATH='<METHOD /path>=<fast-check path>': replays one operation's counterexample directly. */
export function replayPath(operationKey) {
  const raw = process.env.FUZZ_PATH ?? '';
  const split = raw.lastIndexOf('=');
  return split > 0 && raw.slice(0, split) === operationKey ? raw.slice(split + 1) : undefined;
}
