// Jest's node environment, with one difference: the test file's `fetch` uses undici's global
// dispatcher as Node's own fetch does in a real process. Each test file runs in a VM context whose
// `globalThis` is its own, while Node's built-in fetch reads the dispatcher from the real one; an app
// under test that installs its workload's mutual-TLS dispatcher (libs/platform, `setGlobalDispatcher`)
// would otherwise not have it used by its own fetch calls (JWKS, token forwarding, token exchange).
const { TestEnvironment } = require('jest-environment-node');

const DISPATCHER = Symbol.for('undici.globalDispatcher.1');

class SharedDispatcherEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const sandbox = this.global;
    const nodeFetch = sandbox.fetch;
    sandbox.fetch = function fetch(input, init) {
      const dispatcher = sandbox[DISPATCHER];
      return nodeFetch(input, dispatcher && !init?.dispatcher ? { ...init, dispatcher } : init);
    };
  }
}

module.exports = SharedDispatcherEnvironment;
