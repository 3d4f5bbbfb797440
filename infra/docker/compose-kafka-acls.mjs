// The `kafka-acls` job of docker-compose.yml: `node infra/docker/compose-kafka-acls.mjs <brokers>
// <pki dir>`, run once the broker is healthy and before any service that uses Kafka starts. It
// applies infra/kafka/acls.json as the platform-admin identity (a super user of the broker), the
// same way the demo, the tests and e2e do (scripts/lib/kafka-acls.mjs): the declared topics are
// created, the declared ACLs granted, any other ACL removed. The services then find their topics
// and may do exactly what the file says, nothing more (no ACL = denied).
import { applyKafkaAcls } from '../../scripts/lib/kafka-acls.mjs';

const [brokers, pkiDir] = process.argv.slice(2);
if (!brokers || !pkiDir) {
  process.stderr.write('usage: node infra/docker/compose-kafka-acls.mjs <host:port[,...]> <pki dir>\n');
  process.exit(2);
}
await applyKafkaAcls({ brokers, pkiDir });
