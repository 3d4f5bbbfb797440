// The apps' container healthcheck (`node healthcheck.mjs` in the image's WORKDIR): GET /health on
// the app's own port, exit 0 when it answers 2xx. Internal listeners demand a client certificate
// from the platform CA, so the check presents the app's own workload certificate (TLS_CERT_FILE,
// TLS_KEY_FILE) and trusts TLS_CA_FILE only, as any other caller must. Without TLS settings (a
// development container started alone) it asks over plain HTTP. No dependencies: the runtime
// image has only the app's production packages, and Node's own https is enough.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const TIMEOUT_MS = 2500;
const port = Number(process.env.PORT);
const files = { cert: process.env.TLS_CERT_FILE, key: process.env.TLS_KEY_FILE, ca: process.env.TLS_CA_FILE };
const tls = Boolean(files.cert && files.key && files.ca);

const options = {
  // `localhost`: the container itself; every workload certificate names it (infra/pki/dev-pki.ts).
  host: 'localhost',
  port,
  path: '/health',
  timeout: TIMEOUT_MS,
  ...(tls && {
    cert: readFileSync(files.cert),
    key: readFileSync(files.key),
    ca: readFileSync(files.ca),
    minVersion: 'TLSv1.2',
    agent: false,
  }),
};

const request = (tls ? https : http).get(options, (res) => {
  res.resume();
  process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', (error) => {
  process.stderr.write(`healthcheck: ${error.code ?? error.message}\n`);
  process.exit(1);
});
