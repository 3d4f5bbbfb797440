// The platform as the demo and the end-to-end tests run it: which apps, on which ports,
// with which settings of the configuration contract. docker-compose.yml mirrors this file
// (a test checks that they agree). The list itself is infra/platform.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tlsEnvFor } from './platform-pki.mjs';
import { root } from './workspace.mjs';

export const ISSUER = process.env.OAUTH_ISSUER || 'https://127.0.0.1:4000';

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
export const GATEWAY = `https://127.0.0.1:${APPS.find((a) => a.name === 'gateway').port}`;

/** Where an app listens: every app serves TLS (internal listeners demand a platform certificate). */
export const urlOf = (app) => `https://127.0.0.1:${app.port}`;

/** The database an app uses: its own, renamed with a prefix for isolated runs (e2e: `zt_e2e_accounts`). */
export function databaseFor(app, databasePrefix) {
  return databasePrefix ? app.database.replace(/^zt_/, `${databasePrefix}_`) : app.database;
}

/**
 * The environment one app is started with: its workload certificate (TLS_*), https everywhere,
 * its own database URL (`databaseUrl(app)`, from the runner's PostgreSQL) and the Kafka brokers.
 */
export function envFor(app, { kafkaBrokers, databaseUrl, pkiDir }) {
  const env = {
    NODE_ENV,
    PORT: String(app.port),
    HOST: '127.0.0.1',
    ...tlsEnvFor(app.name, pkiDir),
    OAUTH_ISSUER: ISSUER,
    OAUTH_JWKS_URI: process.env.OAUTH_JWKS_URI || `${ISSUER}/jwks`,
    OAUTH_ALGORITHMS: process.env.OAUTH_ALGORITHMS || 'RS256,ES256',
  };
  if (app.audience) env.OAUTH_AUDIENCE = app.audience;
  if (app.database) env.DATABASE_URL = databaseUrl(app);
  if (app.kafka) env.KAFKA_BROKERS = kafkaBrokers;
  const internal = (app.calls ?? []).map((name) => {
    const url = urlOf(APPS.find((a) => a.name === name));
    env[`${name.toUpperCase()}_API_URL`] = url;
    return url;
  });
  if (internal.length) env.INTERNAL_SERVICE_URLS = internal.join(',');
  if (app.name === 'gateway') Object.assign(env, gatewayEnv());
  if (app.name === 'authorization-server') env.OAUTH_GATEWAY_BFF_REDIRECT_URIS = `${GATEWAY}/auth/callback`;
  return env;
}

/** The gateway's upstreams (every API, every region: the demo runs one instance of each) and public origin. */
function gatewayEnv() {
  const env = {
    GATEWAY_BFF_REDIRECT_URI: `${GATEWAY}/auth/callback`,
    GATEWAY_ALLOWED_ORIGINS: `${GATEWAY},${GATEWAY.replace('127.0.0.1', 'localhost')}`,
  };
  for (const api of APPS.filter((a) => a.audience)) {
    const name = `${api.name.toUpperCase()}_API_URL`;
    env[name] = urlOf(api);
    for (const region of ['EU', 'US']) env[`${name}_${region}`] = urlOf(api);
  }
  if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
  return env;
}
