// Shared by the development CLIs: where the running authorization server is, and the
// `dev-tokens` client credentials (development defaults unless set in the environment). What they
// call exists only on an authorization server started in development mode (NODE_ENV=development,
// as `npm run demo` starts it); with NODE_ENV unset it applies production rules and has none of it.
export const issuer = (process.env.OAUTH_ISSUER || 'http://127.0.0.1:4000').replace(/\/$/, '');
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
