// The platform's TLS identities as the runners use them (demo, tests, e2e, compose): the
// development CA and workload certificates under tmp/pki (infra/pki/dev-pki.ts, `npm run certs`),
// the TLS_* settings of one workload, and the HTTP clients of the runner itself: one that trusts
// the platform CA only (the story, as an internet client would), one that also presents the
// operator's certificate (health probes of internal listeners, which refuse anyone without one).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensurePlatformPki, pkiPaths } from '../../infra/pki/dev-pki.ts';
import { root, say } from './workspace.mjs';

const { Agent, setGlobalDispatcher } = createRequire(`${root}/package.json`)('undici');

export const PKI_DIR = path.join(root, 'tmp/pki');
export const OPERATOR = 'platform-admin';

/** Creates or renews the CA and every workload certificate (extra SAN hosts per workload optional). */
export async function ensurePki(dir = PKI_DIR, extraHosts = {}) {
  const written = await ensurePlatformPki(dir, { extraHosts });
  if (written.length) say('pki', `wrote ${written.join(', ')} in ${path.relative(root, dir)}`);
  return dir;
}

/** The TLS_* settings that give an app its workload identity. */
export function tlsEnvFor(workload, dir = PKI_DIR) {
  const files = pkiPaths(dir, workload);
  return { TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key, TLS_CA_FILE: files.ca };
}

/**
 * An undici Agent that trusts the platform CA only, presenting `workload`'s certificate if given;
 * `connections` caps its keep-alive connections per origin.
 */
export function platformAgent({ dir = PKI_DIR, workload, connections } = {}) {
  const files = pkiPaths(dir, workload ?? OPERATOR);
  const connect = { ca: readFileSync(files.ca), minVersion: 'TLSv1.2' };
  if (workload) Object.assign(connect, { cert: readFileSync(files.cert), key: readFileSync(files.key) });
  return new Agent({ connect, ...(connections ? { connections } : {}) });
}

/** This process's fetch trusts the platform CA (and presents no certificate): an internet client's view. */
export function trustPlatformCa(dir = PKI_DIR) {
  setGlobalDispatcher(platformAgent({ dir }));
}
