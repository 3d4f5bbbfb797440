// The compose Kafka healthcheck (kafka-broker-api-versions.sh --bootstrap-server <host:port>
// [--command-config <file>]), run by a Kafka client inside the service's network (through
// netns-preload.cjs): asks the bootstrap server for the cluster, then reaches every broker at the
// address it advertises, as the platform's clients will. The client settings are those of the
// command-config file, as the Kafka tool would read them: `security.protocol=SSL` with PEM key
// and trust stores (the key store holds the key and its certificate chain) means mutual TLS, the
// server's name checked unless ssl.endpoint.identification.algorithm is empty. Exit 0 when all of
// that answers.
'use strict';
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [path.resolve(__dirname, '../../..')] }));

/** A Java properties file, the simple `key=value` lines Kafka's tools are given. */
function readProperties(file) {
  const props = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const text = line.trim();
    if (!text || text.startsWith('#') || text.startsWith('!')) continue;
    const i = text.search(/[=:]/);
    props[(i < 0 ? text : text.slice(0, i)).trim()] = i < 0 ? '' : text.slice(i + 1).trim();
  }
  return props;
}

const pemBlocks = (text, label) =>
  text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, 'g')) ?? [];

/** kafkajs' `ssl` option from the tool's client properties; undefined for a plaintext client. */
function sslOf(props) {
  const protocol = props['security.protocol'] ?? 'PLAINTEXT';
  if (protocol === 'PLAINTEXT') return undefined;
  if (protocol !== 'SSL') throw new Error(`security.protocol ${protocol} is not supported by this healthcheck`);
  for (const key of ['ssl.keystore.type', 'ssl.truststore.type'])
    if (props[key] !== undefined && props[key] !== 'PEM')
      throw new Error(`${key} ${props[key]}: only PEM stores are read`);
  const ssl = { minVersion: 'TLSv1.2' };
  if (props['ssl.truststore.location']) ssl.ca = readFileSync(props['ssl.truststore.location'], 'utf8');
  if (props['ssl.keystore.location']) {
    const store = readFileSync(props['ssl.keystore.location'], 'utf8');
    ssl.key = pemBlocks(store, '(?:EC |RSA )?PRIVATE KEY')[0];
    ssl.cert = pemBlocks(store, 'CERTIFICATE').join('\n');
  }
  if (props['ssl.endpoint.identification.algorithm'] === '') ssl.checkServerIdentity = () => undefined;
  return ssl;
}

async function describe(brokers, ssl) {
  const admin = new Kafka({
    clientId: 'compose-healthcheck',
    brokers,
    ssl,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 3000,
  }).admin();
  await admin.connect();
  try {
    return await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

(async () => {
  const ssl = process.argv[3] ? sslOf(readProperties(process.argv[3])) : undefined;
  const cluster = await describe([process.argv[2]], ssl);
  if (!cluster.brokers.length || cluster.controller === null) process.exit(1);
  await describe(
    cluster.brokers.map((b) => `${b.host}:${b.port}`),
    ssl,
  );
  process.exit(0);
})().catch((error) => {
  process.stderr.write(`kafka healthcheck: ${error.message}\n`);
  process.exit(1);
});
