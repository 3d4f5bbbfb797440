/* eslint-disable @nx/enforce-module-boundaries -- a cross-service integration test composes the
   real apps in one process (the authorization server, accounts, payments); production code never
   imports another app. */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PaymentTopics } from '@zt/contracts';
import { startAppForTest, testDatabaseUrl, testKafkaBrokers, testKafkaTlsEnv } from '@zt/platform/testing';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { authorize } from '../../../apps/authorization-server/src/testing/authorize';
import {
  BANK_CLI_REDIRECT,
  clientFor,
  devToken,
  introspect,
  postForm,
} from '../../../apps/authorization-server/src/testing/oauth-clients';
import {
  RunningServer,
  startAuthorizationServer,
} from '../../../apps/authorization-server/src/testing/start-authorization-server';
import { SigningKeysService } from '../../../apps/authorization-server/src/keys/signing-keys.service';
import { signAccessToken } from '../../../apps/authorization-server/src/tokens/access-token-jwt';

export interface Platform {
  as: RunningServer;
  accounts: NestFastifyApplication;
  payments: NestFastifyApplication;
  close(): Promise<void>;
}

async function dropDatabases(names: string[]): Promise<void> {
  const admin = new Client({ connectionString: testDatabaseUrl('postgres') });
  await admin.connect();
  for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

/** The authorization server, accounts and payments, on fresh databases and the test broker. */
export async function startPlatform(prefix: string): Promise<Platform> {
  const db = { as: `${prefix}_as`, accounts: `${prefix}_accounts`, payments: `${prefix}_payments` };
  await dropDatabases(Object.values(db));
  const as = await startAuthorizationServer({ database: db.as });
  const kafka = testKafkaBrokers();
  // One process, so one outgoing identity (the platform's HTTP client is process-wide): both apps
  // are the operator on the TLS broker and on each other's mutual-TLS listeners. Per-workload
  // identities and ACLs are proven where each runs in its own process (e2e, infra/kafka specs).
  const tls = testKafkaTlsEnv();
  const oauth = (audience: string) => ({
    OAUTH_ISSUER: as.issuer,
    OAUTH_JWKS_URI: `${as.issuer}/jwks`,
    OAUTH_AUDIENCE: audience,
  });
  const run = Date.now();
  const accounts = await startAppForTest({
    name: 'accounts',
    loadModule: async () => (await import('../../../apps/accounts/src/app/app.module')).AppModule,
    env: { ...oauth('accounts-api'), DATABASE_URL: testDatabaseUrl(db.accounts), KAFKA_BROKERS: kafka, ...tls },
    kafkaConsumer: { groupId: `accounts-${prefix}-${run}`, topics: [PaymentTopics.APPROVED] },
  });
  await accounts.listen(0, '127.0.0.1');
  const accountsUrl = await accounts.getUrl();
  const payments = await startAppForTest({
    name: 'payments',
    loadModule: async () => (await import('../../../apps/payments/src/app/app.module')).AppModule,
    env: {
      ...oauth('payments-api'),
      DATABASE_URL: testDatabaseUrl(db.payments),
      KAFKA_BROKERS: kafka,
      ...tls,
      ACCOUNTS_API_URL: accountsUrl,
      INTERNAL_SERVICE_URLS: accountsUrl,
      OUTBOX_POLL_MS: '100',
    },
    kafkaConsumer: { groupId: `payments-${prefix}-${run}`, topics: [PaymentTopics.SETTLED, PaymentTopics.REJECTED] },
  });
  return {
    as,
    accounts,
    payments,
    close: async () => {
      await payments.close();
      await accounts.close();
      await as.close();
    },
  };
}

/** What the gateway does for an API call: the user's opaque token, swapped for its JWT. */
export async function userJwt(issuer: string, username: string, scope: string): Promise<string> {
  const opaque = await devToken(issuer, username, scope);
  return (await introspect(issuer, opaque, { jwt: true })).text;
}

/** A transaction token for one payment (RAR `payment_approval`), through the real login and consent pages. */
export async function transactionJwt(issuer: string, username: string, paymentId: string): Promise<string> {
  const { tokens } = await authorize(await clientFor(issuer, 'bank-cli'), issuer, {
    redirectUri: BANK_CLI_REDIRECT,
    scope: 'payments:approve',
    username,
    password: `${username}-password`,
    authorizationDetails: [{ type: 'payment_approval', transaction_id: paymentId }],
  });
  return (await introspect(issuer, tokens.access_token, { jwt: true })).text;
}

/**
 * RFC 8693 token exchange of `subjectToken` by a service client (with its development secret);
 * `bindTo` binds the new token to one event, the way a publishing service does.
 */
export async function exchangeAs(
  issuer: string,
  clientId: string,
  subjectToken: string,
  bindTo?: { scope: string; audience: string; eventId: string; eventBytes: string },
): Promise<string> {
  const binding: Record<string, string> = bindTo
    ? {
        scope: bindTo.scope,
        audience: bindTo.audience,
        event_id: bindTo.eventId,
        event_digest: createHash('sha256').update(bindTo.eventBytes).digest('base64url'),
      }
    : {};
  const res = await postForm(
    `${issuer}/token`,
    {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      ...binding,
    },
    clientId,
  );
  if (res.status !== 200) throw new Error(`token exchange by ${clientId} answered ${res.status}: ${res.text}`);
  return res.json.access_token as string;
}

/**
 * The token accounts put on settlement results before they were bound: its own client-credentials
 * token (`payments:settle`, audience `payments-api`, no `act`, no event). The authorization server
 * no longer issues it, so it is signed here with the server's real key: a token of that kind still
 * valid during a rollout, or minted by a server configured the old way.
 */
export function reusableServiceToken(
  as: RunningServer,
  clientId: string,
  scope: string,
  audience: string,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signAccessToken(
    {
      iss: as.issuer,
      sub: clientId,
      aud: [audience],
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      client_id: clientId,
      scope,
    },
    as.app.get(SigningKeysService).current(),
  );
}

export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
