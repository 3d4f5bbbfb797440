// The wire: every connection of the platform is TLS, and internal listeners let in only the
// platform's own workloads (a client certificate from the platform CA). Cases against the running
// platform, as an attacker on its network would try them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCa, issueWorkloadCertificate, pkiPaths } from '../../infra/pki/dev-pki.ts';
import { PKI_DIR } from '../../scripts/lib/platform-pki.mjs';
import { test } from '../lib/cases.mjs';
import { APPS, urlOf } from '../../scripts/lib/topology.mjs';
import { DATABASE_PREFIX, GATEWAY, internalFetch, ISSUER, platform } from '../lib/platform.mjs';

const require = createRequire(import.meta.url);
const undici = require('undici');
const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');
const INTERNAL = APPS.filter((a) => a.audience);

/** Resolves to the answer's status, or to the network error's code when the connection was refused. */
async function outcome(request) {
  try {
    const res = await request();
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return error.cause?.code ?? error.code ?? error.message;
  }
}

test('wire: an internal API refuses plaintext HTTP', async () => {
  for (const app of INTERNAL) {
    const plain = urlOf(app).replace('https:', 'http:');
    const result = await outcome(() => fetch(`${plain}/health`, { signal: AbortSignal.timeout(5000) }));
    assert.equal(typeof result, 'string', `${app.name} answered plaintext with ${result}`);
  }
});

test('wire: an internal API refuses a TLS client without a certificate', async () => {
  for (const app of INTERNAL) {
    const result = await outcome(() => internalFetch(`${urlOf(app)}/health`, {}, null));
    assert.equal(typeof result, 'string', `${app.name} answered a client without a certificate: ${result}`);
  }
  // The same request with a platform certificate is answered: the refusal above is the certificate's.
  assert.equal(await outcome(() => internalFetch(`${urlOf(INTERNAL[0])}/health`)), 200);
});

test('wire: an internal API refuses a certificate from another CA, even one naming a platform workload', async () => {
  const otherCa = await createCa('attacker CA');
  const forged = await issueWorkloadCertificate(otherCa, { name: 'gateway' });
  const ca = readFileSync(pkiPaths(PKI_DIR, 'gateway').ca);
  const dispatcher = new undici.Agent({ connect: { ca, cert: forged.cert, key: forged.key } });
  try {
    for (const app of INTERNAL) {
      const result = await outcome(() => undici.fetch(`${urlOf(app)}/health`, { dispatcher }));
      assert.equal(typeof result, 'string', `${app.name} accepted a foreign CA's certificate: ${result}`);
    }
  } finally {
    await dispatcher.close();
  }
});

test('wire: the public gateway serves TLS only, with HSTS, and needs no client certificate', async () => {
  const res = await fetch(`${GATEWAY}/health`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/);
  const plain = await outcome(() => fetch(`${GATEWAY.replace('https:', 'http:')}/health`));
  assert.equal(typeof plain, 'string', `the gateway answered plaintext with ${plain}`);
});

/** payments' own client asks for a client-credentials token over `workload`'s connection. */
function askForPaymentsServiceToken(workload) {
  const secret = Buffer.from('payments-service:dev-secret-payments-service-change-me').toString('base64');
  return internalFetch(
    `${ISSUER}/token`,
    {
      method: 'POST',
      headers: { authorization: `Basic ${secret}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'accounts:read' }),
    },
    workload,
  );
}

/** Over payments' own connection: a token bound to payments' certificate. */
async function paymentsServiceToken() {
  const res = await askForPaymentsServiceToken('payments');
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token;
}

test("wire: a service's certificate-bound token works only over that service's own connection (RFC 8705)", async () => {
  const token = await paymentsServiceToken();
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.ok(claims.cnf?.['x5t#S256'], 'the token names the certificate it is bound to');
  const accounts = urlOf(APPS.find((a) => a.name === 'accounts'));
  const call = (workload) =>
    internalFetch(`${accounts}/accounts`, { headers: { authorization: `Bearer ${token}` } }, workload);
  assert.equal((await call('payments')).status, 200, 'over its own connection');
  for (const thief of ['users', 'gateway']) {
    const replayed = await call(thief);
    assert.equal(replayed.status, 401, `replayed from ${thief}`);
    assert.match(replayed.headers.get('www-authenticate') ?? '', /invalid_token/);
  }
  // The authorization server gives payments' client no token over another workload's connection.
  const stolen = await askForPaymentsServiceToken('users');
  assert.equal(stolen.status, 400);
  assert.equal((await stolen.json()).error, 'invalid_grant');
});

/** A kafkajs producer on the platform's broker with `workload`'s certificate; resolves to the error code of a send, or 'sent'. */
async function produceAs(workload, topic) {
  const files = pkiPaths(PKI_DIR, workload);
  const kafka = new Kafka({
    clientId: `e2e-${workload}`,
    brokers: platform.current.kafkaBrokers.split(','),
    ssl: { ca: [readFileSync(files.ca)], cert: readFileSync(files.cert), key: readFileSync(files.key) },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'e2e', value: '{}' }] });
    return 'sent';
  } catch (error) {
    // kafkajs wraps the broker's answer (no retries here) in a non-retriable error.
    for (let e = error; e; e = e.cause) if (e.type) return e.type;
    return error.name;
  } finally {
    await producer.disconnect().catch(() => {});
  }
}

test("wire: the broker refuses a producer writing with another service's certificate or outside its ACLs", async () => {
  assert.equal(await produceAs('users', 'payments.approved'), 'TOPIC_AUTHORIZATION_FAILED');
  assert.equal(await produceAs('accounts', 'payments.approved'), 'TOPIC_AUTHORIZATION_FAILED');
  assert.equal(await produceAs('payments', 'payments.settled'), 'TOPIC_AUTHORIZATION_FAILED');
});

test("wire: PostgreSQL refuses plaintext and a service role reaching another service's database", async () => {
  const pg = platform.current.postgres;
  assert.ok(pg, 'the e2e run starts its own PostgreSQL cluster (DATABASE_URL unset)');
  const attempt = async (connectionString, options = {}) => {
    const client = new Client({ connectionString, connectionTimeoutMillis: 5000, ...options });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return 'connected';
    } catch (error) {
      return error.code ?? error.message;
    } finally {
      await client.end().catch(() => {});
    }
  };
  const own = pg.urlFor('payments', `${DATABASE_PREFIX}_payments`);
  assert.equal(await attempt(own), 'connected', 'payments reaches its own database over TLS');
  const plain = new URL(own);
  for (const p of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey']) plain.searchParams.delete(p);
  assert.notEqual(await attempt(plain.toString(), { ssl: false }), 'connected', 'plaintext was accepted');
  const others = pg.urlFor('payments', `${DATABASE_PREFIX}_accounts`);
  assert.equal(await attempt(others), '42501', "payments reached accounts' database");
});
