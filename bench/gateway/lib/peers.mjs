// The reference proxies of (2) and (3), each ONE worker (nginx: one process; HAProxy: one thread)
// like the single-threaded Node gateway, keeping upstream connections alive and writing one
// access-log line per request to /dev/null as the gateway writes its audit line. Generated config
// files live in a temp dir; the processes run in the foreground and are stopped by PID.
import { existsSync, writeFileSync } from 'node:fs';
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

/** nginx as a plain reverse proxy: /api/x -> upstream /x. */
export async function startNginx(dir, upstreamPort) {
  const port = await freePort();
  const file = path.join(dir, 'nginx.conf');
  const temp = (name) => `${name}_temp_path ${path.join(dir, name)};`;
  writeFileSync(
    file,
    `daemon off;
master_process off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log /dev/null;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  keepalive_requests 1000000;
  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location /api/ {
      proxy_pass http://api/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  return start(NGINX, ['-p', dir, '-c', file], port, 'nginx');
}

/**
 * HAProxy checking the forwarded RS256 JWT itself: signature (jwt_verify with the AS's public key
 * as PEM), alg, issuer, audience (a string, or the first of an array: the AS issues one), expiry
 * and the route's read scope, as the gateway checks them.
 */
export async function startHaproxy(dir, upstreamPort, { pemFile, issuer, audience, scope }) {
  const port = await freePort();
  const file = path.join(dir, 'haproxy.cfg');
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
  bind 127.0.0.1:${port}
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
  server api 127.0.0.1:${upstreamPort} maxconn 64
`,
  );
  return start(HAPROXY, ['-f', file, '-db'], port, 'haproxy');
}
