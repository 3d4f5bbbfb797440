import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { testKafkaBrokers } from './test-database-url';

/**
 * The test broker (npm test, e2e) speaks mutual TLS only and authorizes by ACL. The runner that
 * started it exports KAFKA_BROKERS and ZT_TEST_PKI_DIR: the PKI folder whose CA the broker trusts,
 * holding `ca.crt` and `<workload>.crt|.key` for every workload. Without ZT_TEST_PKI_DIR the broker
 * is taken to be a plaintext one (a developer's own), and clients connect without TLS.
 */
export const TEST_PKI_DIR_VARIABLE = 'ZT_TEST_PKI_DIR';

/** The super user of the broker (kafka.sh `super.users`): test clients that set up topics and read anything. */
export const TEST_KAFKA_ADMIN = 'platform-admin';

export interface TestKafkaConfig {
  brokers: string[];
  /** kafkajs `ssl`: `workload`'s certificate and the platform CA; absent for a plaintext broker. */
  ssl?: ConnectionOptions;
}

/** The test PKI folder, or undefined for a plaintext broker. */
export function testPkiDir(): string | undefined {
  return process.env[TEST_PKI_DIR_VARIABLE]?.trim() || undefined;
}

/** kafkajs client settings (`{ brokers, ssl }`) presenting `workload`'s certificate. */
export function testKafkaConfig(workload: string = TEST_KAFKA_ADMIN): TestKafkaConfig {
  const brokers = testKafkaBrokers().split(',').filter(Boolean);
  const dir = testPkiDir();
  if (!dir) return { brokers };
  const file = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return {
    brokers,
    ssl: { ca: [file('ca.crt')], cert: file(`${workload}.crt`), key: file(`${workload}.key`), minVersion: 'TLSv1.2' },
  };
}

/**
 * The TLS_* settings that give an app started by a test `workload`'s identity on the test broker
 * (empty for a plaintext broker). Apps on random test topics use the admin identity: no ACL names
 * those topics.
 */
export function testKafkaTlsEnv(workload: string = TEST_KAFKA_ADMIN): Record<string, string> {
  const dir = testPkiDir();
  if (!dir) return {};
  return {
    TLS_CERT_FILE: path.join(dir, `${workload}.crt`),
    TLS_KEY_FILE: path.join(dir, `${workload}.key`),
    TLS_CA_FILE: path.join(dir, 'ca.crt'),
  };
}
