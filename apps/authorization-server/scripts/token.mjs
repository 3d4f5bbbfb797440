#!/usr/bin/env node
// Development tokens: prints an opaque access token for a seeded user, to call the APIs
// through the gateway with curl, and (to learn from) the claims of the JWT the gateway will
// forward for it. Works only while the authorization server runs in development mode.
//   npm run token -- --user alice --scope "accounts:read payments:write"
import { parseArgs } from 'node:util';
import { announceMode, call, fail } from './dev-client.mjs';

const { values } = parseArgs({
  options: {
    user: { type: 'string', default: 'alice' },
    scope: { type: 'string', default: 'accounts:read payments:read payments:write' },
    quiet: { type: 'boolean', short: 'q', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: npm run token -- [--user alice|bob|admin] [--scope "accounts:read payments:write"] [--quiet]\n',
  );
  process.exit(0);
}
if (!/^[\w:. -]*$/.test(values.scope)) fail('scope must be space-separated scope names');

announceMode('token');
const body = new URLSearchParams({
  grant_type: 'urn:zt:params:oauth:grant-type:dev-user',
  username: values.user,
  scope: values.scope,
});
const token = await call('/token', body);
if (values.quiet) {
  process.stdout.write(`${token.access_token}\n`);
} else {
  process.stdout.write(`access token (opaque, expires in ${token.expires_in}s):\n${token.access_token}\n\n`);
  process.stdout.write(
    `claims of the JWT the gateway will forward for it:\n${JSON.stringify(token.access_token_claims, null, 2)}\n\n`,
  );
  process.stdout.write(
    `try: curl --cacert tmp/pki/ca.crt -H "Authorization: Bearer ${token.access_token}" https://127.0.0.1:8080/...\n`,
  );
}
