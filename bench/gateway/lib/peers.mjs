// The reference proxies of (2) and (3), each ONE worker (nginx: one process; HAProxy: one thread)
// like the single-threaded Node gateway, keeping upstream connections alive and writing one
// access-log line per request to /dev/null as the gateway writes its audit line. Generated config
// files live in a temp dir; the processes run in the foreground and are stopped by PID.
// With `tls` (tls.bench.mjs) each one does what the TLS gateway does: terminates TLS 1.2/1.3 with
// the gateway's certificate, and keeps a pool of mutual-TLS connections to the upstream, presenting
// that certificate and checking the upstream's against the platform CA and its name.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startProgram, waitForPort } from './procs.mjs';

const find = (...candidates) => candidates.find(existsSync);
export const NGINX = find('/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx');
export const HAPROXY = find('/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy');

async function start(command, args, port, name) {
  const peer = startProgram(command, args, { quietStdout: true });
  try {
    await Promise.race([
      waitForPort(port),
      peer.done.then(({ code }) => Promise.reject(new Error(`exited with ${code}`))),
    ]);
  } catch (error) {
    throw new Error(`${name} did not start: ${error.message}\n${peer.output()}`);
  }
  return { ...peer, port, name };
}

/**
 * @typedef {{cert: string, key: string, ca: string, upstreamName: string}} PeerTls
 *   file paths of the certificate and key the proxy presents (both sides), the CA it trusts for
 *   the upstream, and the DNS name in the upstream's certificate
 */

/** nginx as a plain reverse proxy: /api/x -> upstream /x. @param {PeerTls} [tls] */
export async function startNginx(dir, upstreamPort, tls) {
  const port = await freePort();
  const name = tls ? 'nginx-tls' : 'nginx';
  const file = path.join(dir, `${name}.conf`);
  const temp = (kind, owner) => `${kind}_temp_path ${path.join(dir, `${owner}-${kind}`)};`;
  writeFileSync(
    file,
    `daemon off;
master_process off;
worker_processes 1;
pid ${path.join(dir, `${name}.pid`)};
error_log ${path.join(dir, `${name}-error.log`)} warn;
events { worker_connections 4096; }
http {
  access_log /dev/null;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => temp(t, name)).join('\n  ')}
  keepalive_requests 1000000;
  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port}${tls ? ' ssl' : ''};
    ${tls ? nginxTls(tls) : ''}
    location /api/ {
      proxy_pass http${tls ? 's' : ''}://api/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  return start(NGINX, ['-p', dir, '-c', file], port, name);
}

// Server side as Node's defaults (TLS 1.2 floor, session tickets on); upstream side: client
// certificate, verification of the upstream's certificate and name, TLS sessions reused.
const nginxTls = ({ cert, key, ca, upstreamName }) => `ssl_certificate ${cert};
    ssl_certificate_key ${key};
    ssl_protocols TLSv1.2 TLSv1.3;
    proxy_ssl_certificate ${cert};
    proxy_ssl_certificate_key ${key};
    proxy_ssl_trusted_certificate ${ca};
    proxy_ssl_verify on;
    proxy_ssl_name ${upstreamName};
    proxy_ssl_session_reuse on;
    proxy_ssl_protocols TLSv1.2 TLSv1.3;`;

/**
 * HAProxy checking the forwarded RS256 JWT itself: signature (jwt_verify with the AS's public key
 * as PEM), alg, issuer, audience (a string, or the first of an array: the AS issues one), expiry
 * and the route's read scope, as the gateway checks them.
 */
export async function startHaproxy(dir, upstreamPort, { pemFile, issuer, audience, scope }, tls) {
  const port = await freePort();
  const name = tls ? 'haproxy-tls' : 'haproxy';
  const file = path.join(dir, `${name}.cfg`);
  // HAProxy reads the certificate and its key from one file (the PEM files may end without a newline).
  const bundle = path.join(dir, `${name}-identity.pem`);
  const pem = (file) => `${readFileSync(file, 'utf8').trim()}\n`;
  if (tls) writeFileSync(bundle, pem(tls.cert) + pem(tls.key), { mode: 0o600 });
  const bindTls = tls ? ` ssl crt ${bundle} ssl-min-ver TLSv1.2` : '';
  const serverTls = tls ? ` ssl crt ${bundle} ca-file ${tls.ca} verify required verifyhost ${tls.upstreamName}` : '';
  writeFileSync(
    file,
    `global
  nbthread 1
  maxconn 4096
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 60s
frontend api
  bind 127.0.0.1:${port}${bindTls}
  http-request set-var(txn.now) date
  http-request set-var(txn.bearer) http_auth_bearer
  http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('$.alg')
  http-request set-var(txn.iss) var(txn.bearer),jwt_payload_query('$.iss')
  http-request set-var(txn.aud) var(txn.bearer),jwt_payload_query('$.aud')
  http-request set-var(txn.aud0) var(txn.bearer),jwt_payload_query('$.aud[0]')
  http-request set-var(txn.scope) var(txn.bearer),jwt_payload_query('$.scope')
  http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('$.exp','int')
  http-request deny deny_status 401 unless { var(txn.alg) -m str RS256 }
  http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"${pemFile}") -m int 1 }
  http-request deny deny_status 401 unless { var(txn.iss) -m str ${issuer} }
  http-request deny deny_status 401 unless { var(txn.exp),sub(txn.now) -m int gt 0 }
  http-request deny deny_status 403 unless { var(txn.aud) -m str ${audience} } || { var(txn.aud0) -m str ${audience} }
  http-request deny deny_status 403 unless { var(txn.scope) -m reg (^|\\s)${scope}(\\s|$) }
  http-request set-path %[path,regsub(^/api/,/)]
  default_backend api
backend api
  http-reuse always
  server api 127.0.0.1:${upstreamPort} maxconn 64${serverTls}
`,
  );
  return start(HAPROXY, ['-f', file, '-db'], port, name);
}
