// The platform as the demo and the end-to-end tests run it: which apps, on which ports,
// with which settings of the configuration contract. docker-compose.yml mirrors this file
// (a test checks that they agree).
import { databaseUrlFor } from './postgres.mjs';

export const ISSUER = process.env.OAUTH_ISSUER || 'http://127.0.0.1:4000';

export const APPS = [
  { name: 'authorization-server', port: 4000, database: 'zt_authorization_server', audience: null },
  { name: 'users', port: 3001, database: 'zt_users', kafka: false, audience: 'users-api' },
  { name: 'accounts', port: 3002, database: 'zt_accounts', kafka: true, audience: 'accounts-api' },
  { name: 'payments', port: 3003, database: 'zt_payments', kafka: true, audience: 'payments-api' },
  { name: 'gateway', port: 8080, database: null, audience: null },
];

/** The environment one app is started with. */
export function envFor(app, { kafkaBrokers }) {
  const env = {
    NODE_ENV: process.env.NODE_ENV || 'development',
    PORT: String(app.port),
    HOST: '127.0.0.1',
    OAUTH_ISSUER: ISSUER,
    OAUTH_JWKS_URI: process.env.OAUTH_JWKS_URI || `${ISSUER}/jwks`,
    OAUTH_ALGORITHMS: process.env.OAUTH_ALGORITHMS || 'RS256,ES256',
  };
  if (app.audience) env.OAUTH_AUDIENCE = app.audience;
  if (app.database) env.DATABASE_URL = databaseUrlFor(app.database);
  if (app.kafka) env.KAFKA_BROKERS = kafkaBrokers;
  if (process.env.REDIS_URL && app.name === 'gateway') env.REDIS_URL = process.env.REDIS_URL;
  return env;
}
