// The `certs` job of docker-compose.yml: `node infra/docker/compose-pki.mjs /pki`, run once before
// anything else starts, writing into the `pki` volume every other service mounts read-only.
// - The platform CA and one certificate per workload (infra/pki/dev-pki.ts, as `npm run certs`):
//   created when missing, renewed when they expire within 7 days, kept otherwise, so a restart of
//   the stack keeps its identities. Each names its workload's compose service (DNS <workload>),
//   which is how every client in the stack reaches it.
// - Kafka's file-based PEM key store wants the key and its chain in one file (KIP-651):
//   kafka-keystore.pem, the broker's identity.
// - kafka-client.properties: the broker's own healthcheck (kafka-broker-api-versions.sh
//   --command-config) connects over mutual TLS with that same identity; the paths in it are the
//   ones this job was given, i.e. where the services mount the volume.
// No key material is ever printed.
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensurePlatformPki, expiresAt, pkiPaths, PLATFORM_WORKLOADS } from '../pki/dev-pki.ts';

const dir = path.resolve(process.argv[2] ?? '/pki');

function atomicWrite(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

const written = await ensurePlatformPki(dir);
const kafka = pkiPaths(dir, 'kafka');
const keystore = path.join(dir, 'kafka-keystore.pem');
atomicWrite(keystore, readFileSync(kafka.key, 'utf8') + readFileSync(kafka.cert, 'utf8'), 0o600);
atomicWrite(
  path.join(dir, 'kafka-client.properties'),
  [
    '# Written by infra/docker/compose-pki.mjs: a Kafka tool over mutual TLS as the broker itself.',
    'security.protocol=SSL',
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${kafka.ca}`,
    'ssl.enabled.protocols=TLSv1.3,TLSv1.2',
    'ssl.endpoint.identification.algorithm=https',
    '',
  ].join('\n'),
  0o644,
);

process.stdout.write(
  `[certs] ${written.length ? `wrote ${written.join(', ')}` : 'all certificates valid'} in ${dir}\n`,
);
for (const name of PLATFORM_WORKLOADS)
  process.stdout.write(
    `[certs] ${name.padEnd(21)} expires ${expiresAt(readFileSync(pkiPaths(dir, name).cert, 'utf8')).toISOString()}\n`,
  );
