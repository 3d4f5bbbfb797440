import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { clientTlsOptions } from './tls-options';
import type { TlsMaterial } from './tls-material';
import type { TlsMaterialService } from './tls-material.service';

/** A keep-alive pool that connects out as this workload (its certificate) and trusts the platform CA only. */
export function workloadAgent(material: TlsMaterial, options: Agent.Options = {}): Agent {
  return new Agent({ ...options, connect: { ...clientTlsOptions(material.pem) } });
}

/**
 * Makes every outgoing HTTPS call of the process present the workload's certificate: undici's
 * global dispatcher is what Node's own fetch uses (libs/security's JWKS fetch and service client,
 * openid-client) as well as `undici.request`, so the security library needs no TLS code of its own
 * and stays usable in a plain-HTTP app. Only the platform CA is trusted: an authorization server
 * with a certificate from a public CA is reached by adding that CA to TLS_CA_FILE. Plain `http://`
 * URLs are unaffected. Rebuilt on rotation (the old pool finishes its requests, then closes).
 * Returns the undo: the previous dispatcher is restored if ours is still installed.
 */
export function installWorkloadDispatcher(tls: TlsMaterialService): () => Promise<void> {
  const material = tls.current();
  if (!material) return async () => undefined;
  const previous: Dispatcher = getGlobalDispatcher();
  let agent = workloadAgent(material);
  setGlobalDispatcher(agent);
  const unsubscribe = tls.onChange((next) => {
    const old = agent;
    agent = workloadAgent(next);
    if (getGlobalDispatcher() === old) setGlobalDispatcher(agent);
    void old.close();
  });
  return async () => {
    unsubscribe();
    if (getGlobalDispatcher() === agent) setGlobalDispatcher(previous);
    await agent.close();
  };
}
