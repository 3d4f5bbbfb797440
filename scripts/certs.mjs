// npm run certs [-- --dir tmp/pki] [--force]: creates the development platform CA and a certificate
// per workload under tmp/pki, and renews the ones that expire within 7 days (run it any time: a
// service watching its files picks the new ones up without a restart). The demo, the tests, e2e and
// the compose runner call the same function before they start anything.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePlatformPki, expiresAt, pkiPaths, PLATFORM_WORKLOADS } from '../infra/pki/dev-pki.ts';
import { root, say } from './lib/workspace.mjs';

const { values } = parseArgs({
  options: { dir: { type: 'string', default: 'tmp/pki' }, force: { type: 'boolean', default: false } },
});
const dir = path.resolve(root, values.dir);
const written = await ensurePlatformPki(dir, { force: values.force });
say('certs', written.length ? `wrote ${written.join(', ')} in ${path.relative(root, dir)}` : 'all certificates valid');
for (const name of PLATFORM_WORKLOADS) {
  const pem = readFileSync(pkiPaths(dir, name).cert, 'utf8');
  say('certs', `${name.padEnd(21)} expires ${expiresAt(pem).toISOString()}`);
}
