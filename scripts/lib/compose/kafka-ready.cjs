// The compose Kafka healthcheck (kafka-broker-api-versions.sh --bootstrap-server <host:port>),
// run by a Kafka client inside the service's network (through netns-preload.cjs): asks the
// bootstrap server for the cluster, then reaches every broker at the address it advertises, as
// the platform's clients will. Exit 0 when all of that answers.
'use strict';
const path = require('node:path');
const { Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [path.resolve(__dirname, '../../..')] }));

async function describe(brokers) {
  const admin = new Kafka({
    clientId: 'compose-healthcheck',
    brokers,
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
  const cluster = await describe([process.argv[2]]);
  if (!cluster.brokers.length || cluster.controller === null) process.exit(1);
  await describe(cluster.brokers.map((b) => `${b.host}:${b.port}`));
  process.exit(0);
})().catch(() => process.exit(1));
