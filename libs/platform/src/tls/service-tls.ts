import type { Server as HttpsServer } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { ConfigValidationError } from '../config/config-validation.error';
import { Env, isProduction } from '../config/env-readers';
import { addHsts } from './hsts';
import type { ListenerKind } from './listener-kind';
import { installWorkloadDispatcher } from './outgoing-dispatcher';
import { TlsMaterialError } from './tls-material';
import { TlsMaterialService } from './tls-material.service';
import { secureContextOptions } from './tls-options';
import { readTlsFiles } from './tls-settings';

/**
 * The app's TLS material from TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE as they are now. Files
 * that do not check out stop start-up with one line naming the setting (a key that is not the
 * certificate's names TLS_KEY_FILE).
 */
export function openServiceTls(env: Env): TlsMaterialService {
  const files = readTlsFiles(env, isProduction(env));
  try {
    return new TlsMaterialService(files);
  } catch (error) {
    if (error instanceof TlsMaterialError) throw new ConfigValidationError(error.variable, error.problem);
    throw error;
  }
}

/**
 * What TLS does once the app exists: rotation swaps the listener's secure context (new
 * connections get the new certificate, open ones keep theirs), outgoing HTTPS presents the
 * workload's certificate, the public listener sends HSTS, and the files are watched. Returns what
 * undoes it on app close.
 */
export function attachServiceTls(
  fastify: FastifyInstance,
  tls: TlsMaterialService,
  kind: ListenerKind,
): () => Promise<void> {
  if (!tls.enabled) return async () => undefined;
  const server = fastify.server as HttpsServer;
  const unsubscribe = tls.onChange((material) => server.setSecureContext(secureContextOptions(material.pem)));
  if (kind === 'public') addHsts(fastify);
  const restoreDispatcher = installWorkloadDispatcher(tls);
  tls.watch();
  return async () => {
    unsubscribe();
    tls.close();
    await restoreDispatcher();
  };
}

/** The one start-up line about TLS: what the listener demands and which identity it presents (never the key). */
export function describeServiceTls(tls: TlsMaterialService, kind: ListenerKind): { warn: boolean; line: string } {
  const material = tls.current();
  if (!material) {
    return {
      warn: true,
      line: 'TLS is off: plain HTTP on loopback only (development without TLS_CERT_FILE, TLS_KEY_FILE, TLS_CA_FILE)',
    };
  }
  const demand = {
    internal: 'client certificate from the platform CA required',
    public: 'no client certificate, HSTS on',
    'public-optional-client-cert': 'client certificate requested, optional',
  }[kind];
  return {
    warn: false,
    line: `TLS is on: ${kind} listener (${demand}); certificate ${material.spiffeId ?? '(no SPIFFE id)'}, expires ${material.expiresAt.toISOString()}`,
  };
}
