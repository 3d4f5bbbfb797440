// Starts every process of the TLS benchmark on 127.0.0.1: the authorization server (for a real
// opaque token and its JWT), a plaintext upstream and a mutual-TLS one, and each proxy twice,
// plaintext and with TLS on both sides: the gateway (and once with TLS from the client only) (TLS from TLS_CERT_FILE, TLS_KEY_FILE,
// TLS_CA_FILE, as in production), the bare undici hop, nginx and HAProxy. Certificates come from
// the development PKI in tmp/bench-pki (infra/pki/dev-pki.ts): every proxy presents the gateway's
// workload certificate, the upstream the users API's.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { ensurePlatformPki, pkiPaths } from '../../../infra/pki/dev-pki.ts';
import { decodeJwt, mintTokens, phantomJwt, publicKeyPem, SCOPE } from './auth.mjs';
import { HAPROXY, NGINX, startHaproxy, startNginx } from './peers.mjs';
import { startRole } from './procs.mjs';
import { LIMITS_ON, limits } from './setup.mjs';

export const PKI_DIR = fileURLToPath(new URL('../../../tmp/bench-pki', import.meta.url));
const API_PATH = '/api/users/me';

/** The gateway's TLS chain answers 200 through its mutual-TLS pool, or why not (helper code not there yet, a refused handshake). */
async function probeTls(url, ca, headers) {
  const dispatcher = new Agent({ connect: { ca } });
  try {
    const res = await request(url, { headers, dispatcher });
    const text = await res.body.text();
    return res.statusCode === 200 ? undefined : `answered ${res.statusCode}: ${text.slice(0, 200)}`;
  } catch (error) {
    return `${error.code ?? ''} ${error.message}`.trim();
  } finally {
    await dispatcher.close();
  }
}

export async function tlsSetup({ dir, skipped }) {
  await ensurePlatformPki(PKI_DIR);
  const gatewayFiles = pkiPaths(PKI_DIR, 'gateway');
  const ca = readFileSync(gatewayFiles.ca, 'utf8');
  const as = await startRole('authorization-server', { database: 'zt_bench_gateway_tls_as' }, { timeoutMs: 90_000 });
  const upstream = await startRole('upstream');
  const tlsUpstream = await startRole('tls upstream', { tls: pkiPaths(PKI_DIR, 'users') });
  const base = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    OAUTH_ISSUER: as.issuer,
    GATEWAY_ACCESS_LOG: process.env.GATEWAY_ACCESS_LOG ?? 'true',
    ...limits(LIMITS_ON),
  };
  const tlsFiles = { TLS_CERT_FILE: gatewayFiles.cert, TLS_KEY_FILE: gatewayFiles.key, TLS_CA_FILE: gatewayFiles.ca };
  const [gateway, gatewayTls, gatewayEdge] = await Promise.all([
    startRole('gateway', { ...base, USERS_API_URL: `http://127.0.0.1:${upstream.port}` }),
    startRole('gateway', { ...base, ...tlsFiles, USERS_API_URL: `https://127.0.0.1:${tlsUpstream.port}` }),
    // Ablation of (T3): TLS from the client only, plaintext to the upstream, so the two halves of
    // the TLS cost are told apart.
    startRole('gateway', { ...base, ...tlsFiles, USERS_API_URL: `http://127.0.0.1:${upstream.port}` }),
  ]);
  const bare = await startRole('bare', { upstreamPort: upstream.port });
  const bareTls = await startRole('tls bare', { upstreamPort: tlsUpstream.port, tls: gatewayFiles });
  const clients = await startRole('tls clients');

  const [token] = (await mintTokens(as.issuer, 1)).tokens;
  const jwt = await phantomJwt(as.issuer, token);
  const pemFile = path.join(dir, 'as-public-key.pem');
  writeFileSync(pemFile, await publicKeyPem(as.issuer, jwt));
  const plain = { upstreamPid: upstream.pid };
  const overTls = { upstreamPid: tlsUpstream.pid, ca };
  const at = (port, tls) => ({ url: `http${tls ? 's' : ''}://127.0.0.1:${port}${API_PATH}`, port, path: API_PATH });
  const bearer = (t) => ({ authorization: `Bearer ${t}` });
  const scenarios = {
    gateway: { ...at(gateway.port), ...plain, headers: bearer(token), pid: gateway.pid, warmSeconds: 2 },
    'gateway tls': {
      ...at(gatewayTls.port, true),
      ...overTls,
      headers: bearer(token),
      pid: gatewayTls.pid,
      warmSeconds: 2,
    },
    'gateway tls edge': {
      ...at(gatewayEdge.port, true),
      ...plain,
      ca,
      headers: bearer(token),
      pid: gatewayEdge.pid,
      warmSeconds: 2,
    },
    bare: { ...at(bare.port), ...plain, headers: bearer(jwt), pid: bare.pid },
    'bare tls': { ...at(bareTls.port, true), ...overTls, headers: bearer(jwt), pid: bareTls.pid },
  };
  const whyNot = await probeTls(scenarios['gateway tls'].url, ca, bearer(token));
  if (whyNot) {
    delete scenarios['gateway tls'];
    delete scenarios['gateway tls edge'];
    skipped.push(
      `the gateway's TLS chain (TLS_* settings, mutual-TLS pool to an https upstream) does not work yet: ${whyNot}; its rows are skipped`,
    );
  }
  const peerTls = { ...gatewayFiles, upstreamName: 'users' };
  if (NGINX) {
    const [n, nTls] = [await startNginx(dir, upstream.port), await startNginx(dir, tlsUpstream.port, peerTls)];
    scenarios.nginx = { ...at(n.port), ...plain, headers: bearer(jwt), pid: n.pid };
    scenarios['nginx tls'] = { ...at(nTls.port, true), ...overTls, headers: bearer(jwt), pid: nTls.pid };
  } else skipped.push('nginx not installed (apt-get install nginx-light): its rows are skipped');
  if (HAPROXY) {
    const checks = { pemFile, issuer: decodeJwt(jwt).payload.iss, audience: 'users-api', scope: SCOPE };
    const h = await startHaproxy(dir, upstream.port, checks);
    const hTls = await startHaproxy(dir, tlsUpstream.port, checks, peerTls);
    scenarios.haproxy = { ...at(h.port), ...plain, headers: bearer(jwt), pid: h.pid };
    scenarios['haproxy tls'] = { ...at(hTls.port, true), ...overTls, headers: bearer(jwt), pid: hTls.pid };
  } else skipped.push('haproxy not installed (apt-get install haproxy): its rows are skipped');
  return { scenarios, clients, ca, upstreamPid: upstream.pid };
}
