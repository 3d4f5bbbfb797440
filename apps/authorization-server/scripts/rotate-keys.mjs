#!/usr/bin/env node
// Rotates the development signing keys of the running authorization server: the published
// "next" key starts signing, the active key is retired (still published until what it signed
// has expired) and a new next key is published. Other instances pick it up within
// OAUTH_SIGNING_KEYS_POLL_SECONDS. Production keys come from OAUTH_SIGNING_KEYS instead.
//   node apps/authorization-server/scripts/rotate-keys.mjs
import { announceMode, call, issuer } from './dev-client.mjs';

announceMode('rotate-keys');
const result = await call('/dev/signing-keys/rotate');
process.stdout.write(`${issuer}: now signing with ${result.signing}; publishing ${result.published.join(', ')}\n`);
