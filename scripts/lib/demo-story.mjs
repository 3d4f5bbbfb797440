// The story `npm run demo` tells once the platform is up: alice pays bob, step by step, showing
// what each hop saw (claims, never a token). Everything goes through the public doors: the
// authorization server's pages, the gateway, and (as an observer) the Kafka topic.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { browserLogin, mobileLogin, transactionToken } from './oauth-client.mjs';
import { readFileSync } from 'node:fs';
import { pkiPaths } from '../../infra/pki/dev-pki.ts';
import { OPERATOR, PKI_DIR } from './platform-pki.mjs';
import { GATEWAY, ISSUER } from './topology.mjs';
import { root } from './workspace.mjs';

const require = createRequire(`${root}/package.json`);
const ALICE_ACCOUNT = 'a11ce000-0000-4000-8000-000000000001';
const BOB_ACCOUNT = 'b0b00000-0000-4000-8000-000000000001';
const SHOWN = ['sub', 'client_id', 'act', 'aud', 'scope', 'region', 'transaction_id', 'event_id', 'exp'];

const line = (text = '') => process.stdout.write(`${text}\n`);
const step = (n, text) => line(`\n[story] ${n}. ${text}`);
const show = (label, claims) =>
  line(
    `          ${label}: ${JSON.stringify(Object.fromEntries(SHOWN.filter((k) => k in claims).map((k) => [k, claims[k]])))}`,
  );

async function call(gateway, token, method, path, json, headers = {}) {
  const res = await fetch(`${gateway}${path}`, {
    method,
    body: json && JSON.stringify(json),
    headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
  });
  const body = await res.json().catch(() => ({}));
  line(`          ${method} ${path} -> ${res.status}`);
  return { status: res.status, body };
}

/** What an API sees for an opaque token: the claims of the JWT the gateway swaps it for (development introspection). */
async function claimsOf(issuer, opaque) {
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const res = await fetch(discovery.introspection_endpoint, {
    method: 'POST',
    body: new URLSearchParams({ token: opaque }),
    headers: { authorization: `Basic ${Buffer.from('gateway:dev-secret-gateway-change-me').toString('base64')}` },
  });
  return res.json();
}

/** The operator's view of the broker: its certificate (a super user of the ACLs), TLS only. */
async function watchApprovedEvents(brokers, pkiDir) {
  const { Kafka, logLevel } = require('kafkajs');
  const files = pkiPaths(pkiDir, OPERATOR);
  const consumer = new Kafka({
    clientId: 'demo-observer',
    brokers: brokers.split(','),
    ssl: { ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key) },
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: `demo-observer-${Date.now()}` });
  const seen = new Map();
  await consumer.connect();
  await consumer.subscribe({ topic: 'payments.approved', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.set(message.key?.toString(), message) });
  return { seen, stop: () => consumer.disconnect() };
}

/**
 * `gateway` and `issuer`: where a user reaches them (default: the local demo's addresses).
 * `kafkaBrokers`: where the story watches the approved events; without it (the compose
 * deployment publishes no broker) that view is left out.
 */
export async function tellTheStory({ kafkaBrokers, pkiDir = PKI_DIR, gateway = GATEWAY, issuer = ISSUER } = {}) {
  line('\n[story] The zero-trust payment story (tokens are never printed: only the claims each hop verified)');
  const observer = kafkaBrokers ? await watchApprovedEvents(kafkaBrokers, pkiDir) : undefined;
  try {
    step(1, 'alice signs in on the authorization server (code + PKCE); her app holds an opaque token');
    const alice = await mobileLogin('alice', 'accounts:read payments:read payments:write', { issuer });
    show('the JWT the gateway forwards for it carries', await claimsOf(issuer, alice));

    step(2, 'she lists her accounts: gateway -> phantom token swap -> accounts API verifies the JWT itself');
    const accounts = await call(gateway, alice, 'GET', '/api/accounts');
    const before = accounts.body.find?.((a) => a.id === ALICE_ACCOUNT)?.balance;
    line(`          her balance: ${before} EUR`);

    step(3, 'she pays bob 10.00 EUR: payments checks her source account with accounts, forwarding her token');
    const payment = (
      await call(
        gateway,
        alice,
        'POST',
        '/api/payments',
        { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount: '10.00', currency: 'EUR' },
        { 'idempotency-key': randomUUID() },
      )
    ).body;
    line(`          payment ${payment.id} is ${payment.status}`);
    if (!payment.id) throw new Error(`the payment was not created: ${JSON.stringify(payment)}`);

    step(4, 'she approves it with a transaction token, good for this one payment and five minutes (RFC 9396)');
    const approval = await transactionToken('alice', payment.id, undefined, { issuer });
    show('the transaction token carries', await claimsOf(issuer, approval));
    const approved = await call(gateway, approval, 'POST', `/api/payments/${payment.id}/approve`);
    if (approved.status !== 200) line(`          approval refused: ${JSON.stringify(approved.body)}`);

    step(5, 'payments exchanges it (RFC 8693) for an event token bound to the event, and publishes via its outbox');
    const deadline = Date.now() + 30_000;
    if (observer) {
      while (!observer.seen.has(payment.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const event = observer.seen.get(payment.id);
      if (event) {
        const jwt = event.headers.authorization.toString().replace(/^Bearer /, '');
        show(
          'accounts verifies the event token in the Kafka headers',
          JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()),
        );
      }
    } else {
      line('          (Kafka is not reachable from here: the event token is checked by accounts inside the network)');
    }

    step(6, 'accounts moves the money once and reports back; payments marks the payment settled');
    let status = 'approved';
    while (status === 'approved' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      status = (
        await fetch(`${gateway}/api/payments/${payment.id}`, { headers: { authorization: `Bearer ${alice}` } }).then(
          (r) => r.json(),
        )
      ).status;
    }
    const after = (
      await fetch(`${gateway}/api/accounts/${ALICE_ACCOUNT}`, { headers: { authorization: `Bearer ${alice}` } }).then(
        (r) => r.json(),
      )
    ).balance;
    line(`          payment ${status}; alice's balance ${before} -> ${after} EUR`);

    step(
      7,
      "she signs in on the web: the gateway's token handler keeps her tokens, her browser only an encrypted cookie",
    );
    const web = await browserLogin('alice', { gateway });
    const session = await (await web.browser.request(`${gateway}/auth/session`)).json();
    const seen = await web.browser.request(`${gateway}/api/payments/${payment.id}`);
    line(
      `          session for ${session.sub}; GET /api/payments/${payment.id} with the cookie -> ${seen.status} (${(await seen.json()).status})`,
    );

    line(
      '\n[story] try it yourself: `npm run token -- --user bob --scope "accounts:read"`, then curl the gateway with it',
    );
    return status === 'settled' && session.authenticated === true && seen.status === 200;
  } finally {
    await observer?.stop();
  }
}
