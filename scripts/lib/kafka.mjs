// Starts and stops the local single-node Kafka broker through infra/kafka/kafka.sh, unless
// KAFKA_BROKERS already points at one. The broker speaks mutual TLS only and authorizes by ACL:
// after it starts, the platform's topics and ACLs (infra/kafka/acls.json) are applied as the
// platform-admin identity. Clients need `brokers` and the PKI folder `pkiDir` (ca.crt and
// <workload>.crt/.key), which is also the folder the broker trusts.
import path from 'node:path';
import { applyKafkaAcls } from './kafka-acls.mjs';
import { root, run, say } from './workspace.mjs';

const script = path.join(root, 'infra/kafka/kafka.sh');

export async function startKafka({ port, stateDir, pkiDir = path.join(root, 'tmp/pki'), fresh = false }) {
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_STATE_DIR: stateDir, KAFKA_TLS_DIR: pkiDir };
  if (fresh) await run('bash', [script, 'reset'], { env });
  const code = await run('bash', [script, 'start'], { env });
  if (code !== 0) throw new Error(`Kafka did not start (exit ${code}); set KAFKA_BROKERS to use an existing broker`);
  const brokers = `127.0.0.1:${port}`;
  await applyKafkaAcls({ brokers, pkiDir });
  return {
    brokers,
    pkiDir,
    stop: async () => {
      say('kafka', 'stopping the broker');
      await run('bash', [script, 'stop'], { env });
    },
    /** Starts the same broker again (same state, same ACLs in its metadata): for fault tests. */
    restart: async () => {
      const again = await run('bash', [script, 'start'], { env });
      if (again !== 0) throw new Error(`Kafka did not restart (exit ${again})`);
    },
  };
}
