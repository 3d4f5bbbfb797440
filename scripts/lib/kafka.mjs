// Starts and stops the local single-node Kafka broker through infra/kafka/kafka.sh,
// unless KAFKA_BROKERS already points at one.
import path from 'node:path';
import { root, run, say } from './workspace.mjs';

const script = path.join(root, 'infra/kafka/kafka.sh');

export async function startKafka({ port, stateDir, fresh = false }) {
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_STATE_DIR: stateDir };
  if (fresh) await run('bash', [script, 'reset'], { env });
  const code = await run('bash', [script, 'start'], { env });
  if (code !== 0) throw new Error(`Kafka did not start (exit ${code}); set KAFKA_BROKERS to use an existing broker`);
  return {
    brokers: `127.0.0.1:${port}`,
    stop: async () => {
      say('kafka', 'stopping the broker');
      await run('bash', [script, 'stop'], { env });
    },
    /** Starts the same broker again (same state): for fault tests. */
    restart: async () => {
      const again = await run('bash', [script, 'start'], { env });
      if (again !== 0) throw new Error(`Kafka did not restart (exit ${again})`);
    },
  };
}
