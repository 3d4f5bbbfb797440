// `npm run test:unit`: every spec that needs neither PostgreSQL nor Kafka, in one Jest run over the
// same projects as jest.config.cjs. The split is the list below, checked two ways: every entry
// must name an existing spec or folder (a renamed spec cannot slip out of the list unseen), and
// the unit run gets no Kafka and an unreachable PostgreSQL (scripts/test.mjs --unit), so a new
// spec that needs either fails there instead of passing by luck on a developer's machine.
const { existsSync, globSync } = require('node:fs');
const path = require('node:path');
const { projects, ...workspace } = require('./jest.config.cjs');

/**
 * Specs that need PostgreSQL or Kafka (found by running every spec with DATABASE_URL pointing at
 * a closed port and KAFKA_BROKERS unset). A folder entry ends with `/`.
 */
const NEEDS_POSTGRES_OR_KAFKA = [
  // Cross-app tests compose the real apps on their databases and the broker.
  'tests/',
  // The authorization server keeps its clients' grants, signing keys and users in PostgreSQL.
  'apps/authorization-server/src/app/app.module.spec.ts',
  'apps/authorization-server/src/config/production-mode.integration.spec.ts',
  'apps/authorization-server/src/interactions/code-flow.spec.ts',
  'apps/authorization-server/src/interactions/sign-in-pages.spec.ts',
  'apps/authorization-server/src/keys/key-rotation.spec.ts',
  'apps/authorization-server/src/oidc/certificate-bound-tokens.spec.ts',
  'apps/authorization-server/src/oidc/dev-token-cli.spec.ts',
  'apps/authorization-server/src/oidc/event-answer.spec.ts',
  'apps/authorization-server/src/oidc/introspection.spec.ts',
  'apps/authorization-server/src/oidc/standard-errors.spec.ts',
  'apps/authorization-server/src/oidc/token-exchange.spec.ts',
  'apps/authorization-server/src/oidc/transaction-token.spec.ts',
  // The gateway in front of the real authorization server.
  'apps/gateway/src/app/authorization-server-down.integration.spec.ts',
  'apps/gateway/src/app/phantom-token.integration.spec.ts',
  'apps/gateway/src/proxy/development-grant.integration.spec.ts',
  'apps/gateway/src/token-handler/token-handler.integration.spec.ts',
  // The APIs whole (their own migrated database, their consumers), or their HTTP API on a database.
  'apps/accounts/src/accounts/accounts.api.spec.ts',
  'apps/accounts/src/app/app.module.spec.ts',
  'apps/accounts/src/settlement/settlement.service.spec.ts',
  'apps/payments/src/app/app.module.spec.ts',
  'apps/payments/src/payments/payments.api.spec.ts',
  'apps/users/src/app/app.module.spec.ts',
  'apps/users/src/profiles/json-limits.api.spec.ts',
  'apps/users/src/profiles/profiles.api.spec.ts',
  'libs/platform/src/database/ensure-database.spec.ts',
  // The project's own PostgreSQL cluster (TLS only, a role per service), started by the spec.
  'infra/postgres/postgres-cluster.spec.ts',
  // Kafka: the broker itself, the client against it, events end to end.
  'infra/kafka/kafka.spec.ts',
  'infra/kafka/kafka-acls.integration.spec.ts',
  'libs/platform/src/kafka/event-json-limits.integration.spec.ts',
  'libs/platform/src/kafka/fresh-broker.integration.spec.ts',
  'libs/platform/src/kafka/kafkajs-request-queue.spec.ts',
  'libs/security/src/kafka/kafka.integration.spec.ts',
  'libs/security/src/kafka/unguarded-handler.integration.spec.ts',
];

const root = __dirname;
for (const entry of NEEDS_POSTGRES_OR_KAFKA) {
  if (!existsSync(path.join(root, entry))) {
    throw new Error(`jest.unit.config.cjs lists ${entry}, which does not exist: update the list`);
  }
}
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ignored = NEEDS_POSTGRES_OR_KAFKA.map(
  (entry) => `^${escape(path.join(root, entry))}${entry.endsWith('/') ? '' : '$'}`,
);

module.exports = {
  ...workspace,
  projects: projects
    .flatMap((pattern) => globSync(pattern.replace('<rootDir>/', ''), { cwd: root }))
    .sort()
    .map((file) => {
      const project = require(path.join(root, file));
      return { ...project, testPathIgnorePatterns: [...(project.testPathIgnorePatterns ?? []), ...ignored] };
    }),
};
