// The platform's Kafka permissions for the runners (demo, tests, e2e): applies infra/kafka/acls.json
// to a broker as the platform-admin identity (infra/kafka/kafka-acls.ts says how and why).
import path from 'node:path';
import { applyKafkaAcls as apply } from '../../infra/kafka/kafka-acls.ts';
import { root, say } from './workspace.mjs';

export const KAFKA_ACL_FILE = path.join(root, 'infra/kafka/acls.json');

/** Creates the declared topics and ACLs, deletes undeclared ACLs; safe to run on every start. */
export async function applyKafkaAcls({ brokers, pkiDir, aclFile = KAFKA_ACL_FILE }) {
  const list = Array.isArray(brokers) ? brokers : String(brokers).split(',').filter(Boolean);
  const result = await apply({ brokers: list, pkiDir, acls: aclFile });
  say(
    'kafka',
    `ACLs from ${path.relative(root, aclFile)}: ${result.aclsCreated} created, ${result.aclsDeleted} removed` +
      (result.topicsCreated.length ? `; topics created: ${result.topicsCreated.join(', ')}` : ''),
  );
  return result;
}
