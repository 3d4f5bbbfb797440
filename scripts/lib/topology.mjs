// The platform as the demo and the end-to-end tests run it: which apps, on which ports,
// with which settings of the configuration contract. docker-compose.yml mirrors this file
// (a test checks that they agree). The list itself is infra/platform.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseUrlFor } from './postgres.mjs';
import { root } from './workspace.mjs';

export const ISSUER = process.env.OAUTH_ISSUER || 'http://127.0.0.1:4000';

/**
 * The demo and the end-to-end tests choose development mode explicitly: the apps apply production
 * rules unless told otherwise, and the story needs development keys and secrets, the seeded users
 * and the development-user grant (`npm run token`). A NODE_ENV of the caller's shell is not used.
 */
export const NODE_ENV = 'development';

/** The one line a starter script prints about the mode it chose, e.g. `[demo] mode: development ...`. */
export function modeLine() {
  const ignored =
    process.env.NODE_ENV && process.env.NODE_ENV !== NODE_ENV
      ? ` (NODE_ENV=${process.env.NODE_ENV} of this shell is not used)`
      : '';
  return `mode: development (NODE_ENV=${NODE_ENV}): development keys and secrets, seeded users, the development-user grant${ignored}`;
}

export const APPS = JSON.parse(readFileSync(path.join(root, 'infra/platform.json'), 'utf8')).apps;
export const GATEWAY = `http://127.0.0.1:${APPS.find((a) => a.name === 'gateway').port}`;

/** The database an app uses: its own, renamed with a prefix for isolated runs (e2e: `zt_e2e_accounts`). */
export function databaseFor(app, databasePrefix) {
  return databasePrefix ? app.database.replace(/^zt_/, `${databasePrefix}_`) : app.database;
}

/** The environment one app is started with. */
export function envFor(app, { kafkaBrokers, databasePrefix }) {
  const env = {
    NODE_ENV,
    PORT: String(app.port),
    HOST: '127.0.0.1',
    OAUTH_ISSUER: ISSUER,
    OAUTH_JWKS_URI: process.env.OAUTH_JWKS_URI || `${ISSUER}/jwks`,
    OAUTH_ALGORITHMS: process.env.OAUTH_ALGORITHMS || 'RS256,ES256',
  };
  if (app.audience) env.OAUTH_AUDIENCE = app.audience;
  if (app.database) env.DATABASE_URL = databaseUrlFor(databaseFor(app, databasePrefix));
  if (app.kafka) env.KAFKA_BROKERS = kafkaBrokers;
  const internal = (app.calls ?? []).map((name) => {
    const target = APPS.find((a) => a.name === name);
    env[`${name.toUpperCase()}_API_URL`] = `http://127.0.0.1:${target.port}`;
    return env[`${name.toUpperCase()}_API_URL`];
  });
  if (internal.length) env.INTERNAL_SERVICE_URLS = internal.join(',');
  if (process.env.REDIS_URL && app.name === 'gateway') env.REDIS_URL = process.env.REDIS_URL;
  return env;
}
