import * as oauth from 'openid-client';

/** Development defaults of the client secrets (see clients.ts and the config loader). */
export const devSecret = (clientId: string) => `dev-secret-${clientId}-change-me`;

/** openid-client (a real, certified RP library) configured for one of our clients over plain HTTP on loopback. */
export async function clientFor(issuer: string, clientId: string): Promise<oauth.Configuration> {
  const isPublic = clientId === 'bank-cli';
  return oauth.discovery(
    new URL(issuer),
    clientId,
    isPublic ? undefined : devSecret(clientId),
    isPublic ? oauth.None() : oauth.ClientSecretBasic(devSecret(clientId)),
    { execute: [oauth.allowInsecureRequests] },
  );
}

export const GATEWAY_BFF_REDIRECT = 'http://127.0.0.1:8080/auth/callback';
export const BANK_CLI_REDIRECT = 'http://127.0.0.1:53682/callback';

/** POSTs a form to an endpoint with HTTP Basic client authentication; returns status, type and body. */
export async function postForm(
  url: string,
  form: Record<string, string | string[]>,
  clientId?: string,
  headers: Record<string, string> = {},
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) body.append(name, v);
  const auth = clientId
    ? { authorization: `Basic ${Buffer.from(`${clientId}:${devSecret(clientId)}`).toString('base64')}` }
    : {};
  const res = await fetch(url, { method: 'POST', body, headers: { ...auth, ...headers } });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: json ?? {} };
}

/** A user's opaque token through the development grant (what `npm run token` does). */
export async function devToken(issuer: string, username: string, scope: string): Promise<string> {
  const res = await postForm(
    `${issuer}/token`,
    { grant_type: 'urn:zt:params:oauth:grant-type:dev-user', username, scope },
    'dev-tokens',
  );
  if (res.status !== 200) throw new Error(`dev token failed: ${res.text}`);
  return res.json.access_token as string;
}

/** Introspection as the gateway; `jwt` asks for the phantom token form. */
export function introspect(issuer: string, token: string, options: { jwt?: boolean; clientId?: string } = {}) {
  const headers: Record<string, string> = options.jwt ? { accept: 'application/jwt' } : {};
  return postForm(`${issuer}/token/introspection`, { token }, options.clientId ?? 'gateway', headers);
}
