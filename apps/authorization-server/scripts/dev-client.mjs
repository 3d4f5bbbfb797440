// Shared by the development CLIs: where the running authorization server is, and the
// `dev-tokens` client credentials (development defaults unless set in the environment). What they
// call exists only on an authorization server started in development mode (NODE_ENV=development,
// as `npm run demo` starts it); with NODE_ENV unset it applies production rules and has none of it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const issuer = (process.env.OAUTH_ISSUER || 'https://127.0.0.1:4000').replace(/\/$/, '');

// The demo's authorization server has a certificate of the development platform CA (npm run certs):
// trust that CA (TLS_CA_FILE, or the demo's tmp/pki/ca.crt) for this call, unless the caller chose
// its trust itself with NODE_EXTRA_CA_CERTS.
const caFile = process.env.TLS_CA_FILE || path.join(root, 'tmp/pki/ca.crt');
if (issuer.startsWith('https:') && !process.env.NODE_EXTRA_CA_CERTS && existsSync(caFile)) {
  const { Agent, setGlobalDispatcher } = createRequire(path.join(root, 'package.json'))('undici');
  setGlobalDispatcher(new Agent({ connect: { ca: readFileSync(caFile) } }));
}
const secret = process.env.OAUTH_CLIENT_SECRET_DEV_TOKENS || 'dev-secret-dev-tokens-change-me';
export const basicAuth = `Basic ${Buffer.from(`dev-tokens:${secret}`).toString('base64')}`;

/** The one line each CLI prints first (on stderr, so `--quiet` output stays a bare token). */
export function announceMode(tool) {
  process.stderr.write(
    `[${tool}] mode: development only: needs the authorization server at ${issuer} in development mode (NODE_ENV=development, as npm run demo starts it)\n`,
  );
}

export async function call(path, body) {
  let res;
  try {
    res = await fetch(`${issuer}${path}`, { method: 'POST', headers: { authorization: basicAuth }, body });
  } catch (error) {
    fail(
      `cannot reach the authorization server at ${issuer} (${error.cause?.code ?? error.message}); is it running (npm run demo)?`,
    );
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    // What a production-mode server answers for the development grant, client and endpoint.
    const notDevelopment =
      res.status === 404 || json.error === 'unsupported_grant_type' || json.error === 'invalid_client';
    const hint = notDevelopment
      ? ` (is the authorization server at ${issuer} in development mode? NODE_ENV unset means production, where this does not exist)`
      : '';
    fail(`${res.status} ${json.error ?? ''} ${json.error_description ?? json.message ?? ''}`.trim() + hint);
  }
  return json;
}

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
