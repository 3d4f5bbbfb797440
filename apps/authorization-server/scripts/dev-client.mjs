// Shared by the development CLIs: where the running authorization server is, and the
// `dev-tokens` client credentials (development defaults unless set in the environment).
export const issuer = (process.env.OAUTH_ISSUER || 'http://127.0.0.1:4000').replace(/\/$/, '');
const secret = process.env.OAUTH_CLIENT_SECRET_DEV_TOKENS || 'dev-secret-dev-tokens-change-me';
export const basicAuth = `Basic ${Buffer.from(`dev-tokens:${secret}`).toString('base64')}`;

export async function call(path, body) {
  let res;
  try {
    res = await fetch(`${issuer}${path}`, { method: 'POST', headers: { authorization: basicAuth }, body });
  } catch (error) {
    fail(`cannot reach the authorization server at ${issuer} (${error.cause?.code ?? error.message}); is it running (npm run demo)?`);
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) fail(`${res.status} ${json.error ?? ''} ${json.error_description ?? json.message ?? ''}`.trim());
  return json;
}

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
