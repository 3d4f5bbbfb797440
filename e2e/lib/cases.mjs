// A minimal in-process case registry for the end-to-end suite. Cases run one after another in
// the runner's own process, so fault cases can stop and start parts of the platform through the
// same handle that started them (node:test's runner would isolate them in other processes).
const registered = [];

/** Registers a case. Its name starts with its category: `story:`, `API1:` ... `API10:`, `fault:`, `load:`, `fuzz:`. */
export function test(name, fn, { timeoutMs = 120_000 } = {}) {
  registered.push({ name, fn, timeoutMs });
}

export function takeCases() {
  return registered.splice(0);
}
