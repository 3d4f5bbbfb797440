// OWASP API Security Top 10 (2023), at least two black-box cases per risk, each named by its id.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test } from '../lib/cases.mjs';
import { attackerKey, claims, forgedJwt, spyServer, unsignedJwt } from '../lib/forge.mjs';
import { mobileLogin, transactionToken } from '../../scripts/lib/oauth-client.mjs';
import { ALICE_ACCOUNT, api, BOB_ACCOUNT, GATEWAY, internalFetch, ISSUER } from '../lib/platform.mjs';
import { platformAgent } from '../../scripts/lib/platform-pki.mjs';

const undici = createRequire(import.meta.url)('undici');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ACCOUNTS_DIRECT = 'https://127.0.0.1:3002';
const tokens = {};
const token = async (user, scope) => (tokens[`${user} ${scope}`] ??= await mobileLogin(user, scope));
const alice = () => token('alice', 'accounts:read payments:read payments:write users:read users:write');
const bob = () => token('bob', 'accounts:read payments:read payments:write');
const pay = async (who, body = {}) =>
  api(await who(), 'POST', '/api/payments', {
    json: {
      sourceAccountId: who === bob ? BOB_ACCOUNT : ALICE_ACCOUNT,
      destinationAccountId: who === bob ? ALICE_ACCOUNT : BOB_ACCOUNT,
      amount: '1.00',
      currency: 'EUR',
      ...body,
    },
    headers: { 'idempotency-key': randomUUID() },
  });
// Behind the gateway, from a workload inside the platform (the gateway's certificate): TLS lets it
// in, the token decides.
const direct = (url, jwt, workload = 'gateway') =>
  internalFetch(url, { headers: { authorization: `Bearer ${jwt}` } }, workload);

// API1 Broken Object Level Authorization
test("API1: another user's account by id is 404, never revealed", async () => {
  const res = await api(await alice(), 'GET', `/api/accounts/${BOB_ACCOUNT}`);
  assert.equal(res.status, 404);
});
test("API1: another user's payment by id is 404", async () => {
  const bobs = await pay(bob);
  assert.equal(bobs.status, 201);
  assert.equal((await api(await alice(), 'GET', `/api/payments/${bobs.body.id}`)).status, 404);
  assert.ok(!(await api(await alice(), 'GET', '/api/payments')).body.some((p) => p.id === bobs.body.id));
});

// API2 Broken Authentication
test('API2: a JWT sent straight from the internet is refused at the gateway, even a well-formed one', async () => {
  const res = await api(forgedJwt(attackerKey()), 'GET', '/api/accounts');
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
});
test('API2: alg none, garbage and missing tokens are 401', async () => {
  for (const bad of [unsignedJwt('none'), unsignedJwt('NoNe'), 'not-a-token', undefined]) {
    assert.equal((await api(bad, 'GET', '/api/accounts')).status, 401, String(bad));
  }
});
test('API2: behind the gateway, an API refuses a forged signature and a token for another audience', async () => {
  assert.equal((await direct(`${ACCOUNTS_DIRECT}/accounts`, forgedJwt(attackerKey()))).status, 401);
  // A genuine token of the platform, minted for the users API only (client credentials over the
  // accounts workload's own connection: the token is bound to its certificate).
  const res = await internalFetch(
    `${ISSUER}/token`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('accounts-service:dev-secret-accounts-service-change-me').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'users:read' }),
    },
    'accounts',
  );
  const serviceToken = (await res.json()).access_token;
  assert.ok(serviceToken, 'got a service token');
  assert.equal(
    (await direct(`${ACCOUNTS_DIRECT}/accounts`, serviceToken, 'accounts')).status,
    401,
    'aud users-api is not accounts-api',
  );
});

// API3 Broken Object Property Level Authorization
test('API3: mass assignment of status, owner or amount type is refused (400)', async () => {
  for (const extra of [{ status: 'settled' }, { ownerSub: 'usr_bob' }, { amount: 100 }]) {
    const res = await pay(alice, extra);
    assert.equal(res.status, 400, JSON.stringify(extra));
    assert.match(res.headers.get('content-type'), /problem\+json/);
  }
  assert.equal((await api(await alice(), 'PATCH', '/api/users/me', { json: { region: 'us' } })).status, 400);
});
test("API3: another user's personal data is not exposed", async () => {
  const me = await api(await alice(), 'GET', '/api/users/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.sub, 'usr_alice');
  assert.equal((await api(await alice(), 'GET', '/api/users/usr_bob')).status, 403);
});

// API4 Unrestricted Resource Consumption
test('API4: a burst over the per-user limit gets 429 with Retry-After and RateLimit headers', async () => {
  const t = await token('bob', 'accounts:read');
  // A burst is many requests in one second: over a few kept-alive TLS connections, opened first,
  // not ninety new handshakes that would spread it over several seconds.
  const dispatcher = platformAgent({ connections: 4 });
  const send = () => undici.fetch(`${GATEWAY}/api/accounts`, { headers: { authorization: `Bearer ${t}` }, dispatcher });
  await Promise.all(Array.from({ length: 4 }, async () => (await send()).arrayBuffer()));
  await new Promise((r) => setTimeout(r, 1100)); // a fresh burst window
  const answers = await Promise.all(Array.from({ length: 90 }, send));
  await dispatcher.close();
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, `statuses: ${answers.map((r) => r.status).join(',')}`);
  assert.ok(limited[0].headers.get('retry-after'));
  assert.ok(
    [...limited[0].headers.keys()].some((h) => h.startsWith('ratelimit')),
    [...limited[0].headers.keys()].join(','),
  );
  await new Promise((r) => setTimeout(r, 1100)); // let the burst window pass
});
test('API4: oversized bodies and headers are refused before reaching an API', async () => {
  const big = await fetch(`${GATEWAY}/api/payments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await alice()}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      sourceAccountId: ALICE_ACCOUNT,
      destinationAccountId: BOB_ACCOUNT,
      amount: '1.00',
      currency: 'EUR',
      pad: 'x'.repeat(2_000_000),
    }),
  });
  assert.equal(big.status, 413);
  const huge = await fetch(`${GATEWAY}/api/accounts`, {
    headers: { authorization: `Bearer ${await alice()}`, 'x-padding': 'y'.repeat(20_000) },
  });
  assert.ok([400, 431].includes(huge.status), String(huge.status));
});

// API5 Broken Function Level Authorization
test('API5: a normal user calling an admin route gets 403', async () => {
  const res = await api(await alice(), 'GET', '/api/users/usr_admin');
  assert.equal(res.status, 403);
  assert.match(res.headers.get('www-authenticate') ?? '', /insufficient_scope/);
});
test('API5: there is no function to write an account, whatever the token', async () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const res = await api(await alice(), method, `/api/accounts/${ALICE_ACCOUNT}`, {
      json: { balanceMinor: '99999999' },
    });
    assert.ok([403, 404, 405].includes(res.status), `${method} -> ${res.status}`);
  }
});

// API6 Unrestricted Access to Sensitive Business Flows
test('API6: approval without a transaction token is refused', async () => {
  const created = await pay(alice);
  assert.equal((await api(await alice(), 'POST', `/api/payments/${created.body.id}/approve`)).status, 403);
});
test('API6: a transaction token for one payment cannot approve another', async () => {
  const [first, second] = [await pay(alice), await pay(alice)];
  const approval = await transactionToken('alice', first.body.id);
  assert.equal((await api(approval, 'POST', `/api/payments/${second.body.id}/approve`)).status, 403);
  assert.equal((await api(await alice(), 'GET', `/api/payments/${second.body.id}`)).body.status, 'pending');
});
test('API6: a replayed Idempotency-Key creates nothing new; with another body it is 409', async () => {
  const key = randomUUID();
  const body = { sourceAccountId: ALICE_ACCOUNT, destinationAccountId: BOB_ACCOUNT, amount: '2.00', currency: 'EUR' };
  const first = await api(await alice(), 'POST', '/api/payments', { json: body, headers: { 'idempotency-key': key } });
  const again = await api(await alice(), 'POST', '/api/payments', { json: body, headers: { 'idempotency-key': key } });
  assert.equal(again.body.id, first.body.id);
  assert.equal(
    (
      await api(await alice(), 'POST', '/api/payments', {
        json: { ...body, amount: '3.00' },
        headers: { 'idempotency-key': key },
      })
    ).status,
    409,
  );
});

// API7 Server Side Request Forgery
test('API7: keys and key URLs planted in a token (jku, x5u, jwk) are never used or fetched, at the gateway or at an API', async () => {
  const key = attackerKey();
  const spy = await spyServer({ keys: [key.jwk] });
  try {
    for (const header of [{ jku: `${spy.url}/jwks` }, { x5u: `${spy.url}/cert` }, { jwk: key.jwk }]) {
      const jwt = forgedJwt(key, header);
      assert.equal((await api(jwt, 'GET', '/api/accounts')).status, 401);
      assert.equal((await direct(`${ACCOUNTS_DIRECT}/accounts`, jwt)).status, 401);
    }
    assert.equal(spy.hits, 0, 'the planted URL was contacted');
  } finally {
    await spy.close();
  }
});
test('API7: a token with a key id the issuer never published triggers no fetch of anything but the configured JWKS', async () => {
  const key = attackerKey();
  const spy = await spyServer({});
  try {
    const jwt = forgedJwt({ ...key, jwk: { ...key.jwk, kid: `${spy.url}/kid` } });
    assert.equal((await direct(`${ACCOUNTS_DIRECT}/accounts`, jwt)).status, 401);
    assert.equal(spy.hits, 0);
  } finally {
    await spy.close();
  }
});

// API8 Security Misconfiguration
test('API8: security headers are set and a request id is on every response', async () => {
  const res = await fetch(`${GATEWAY}/api/accounts`);
  for (const header of ['x-content-type-options', 'x-frame-options', 'content-security-policy', 'x-request-id']) {
    assert.ok(res.headers.get(header), `missing ${header}`);
  }
  assert.equal(res.headers.get('x-powered-by'), null);
});
test('API8: errors carry no stack traces or internals', async () => {
  const res = await fetch(`${GATEWAY}/api/payments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await alice()}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: '{"sourceAccountId": ',
  });
  const text = await res.text();
  assert.equal(res.status, 400);
  assert.doesNotMatch(text, /\bat \w+ \(|node_modules|\.ts:\d+|Error:/);
});
test('API8: production mode refuses to start on development defaults, naming the setting', async () => {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/gateway/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '18099',
      LOG_LEVEL: 'silent',
      OAUTH_ISSUER: 'https://as.example',
      OAUTH_JWKS_URI: 'https://as.example/jwks',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise((r) => child.on('exit', r));
  assert.notEqual(code, 0);
  assert.match(output, /Invalid configuration: [A-Z_]+ /);
});

// API9 Improper Inventory Management
test('API9: undocumented and old routes are 404', async () => {
  for (const path of ['/api/admin', '/api/v1/payments', '/api/internal/accounts', '/actuator/env', '/.env']) {
    const res = await api(await alice(), 'GET', path);
    assert.equal(res.status, 404, path);
  }
});
test("API9: the APIs' internal documents are not published through the gateway; its own lists only public routes", async () => {
  for (const path of ['/api/accounts/docs-json', '/api/payments/docs', '/api/users/docs-json']) {
    const res = await api(await alice(), 'GET', path);
    assert.notEqual(res.status, 200, path);
    assert.ok(!(typeof res.body === 'object' && res.body?.openapi), `${path} published an OpenAPI document`);
  }
  const own = await api(undefined, 'GET', '/docs-json');
  if (own.status === 200) {
    const internal = Object.keys(own.body.paths ?? {}).filter(
      (p) => !/^\/(auth|health|metrics|api|\.well-known|jwks|token|interaction)\b/.test(p),
    );
    assert.deepEqual(internal, [], 'the gateway document names only its public routes');
  }
});

// API10 Unsafe Consumption of APIs
test('API10: a gateway fed malformed or forged introspection answers denies, forwards nothing and never crashes', async () => {
  const key = attackerKey();
  const answers = [
    { what: 'not JSON, not a JWT', body: 'not json at all', contentType: 'text/plain' },
    { what: 'a phantom JWT signed by another key', body: forgedJwt(key), contentType: 'application/jwt' },
    {
      what: 'active in JSON, without the JWT',
      body: JSON.stringify({ active: true, sub: 'usr_alice', scope: 'accounts:read', region: 'eu' }),
      contentType: 'application/json',
    },
  ];
  // Every upstream of this gateway is a spy: a forged answer believed would reach it.
  const upstream = await spyServer({ id: 'acc_spy' });
  try {
    for (const { what, body, contentType } of answers) {
      const evil = await spyServer(body, { contentType });
      const port = 18000 + Math.floor(Math.random() * 900);
      const child = spawn(process.execPath, [path.join(root, 'dist/apps/gateway/src/main.js')], {
        env: {
          ...process.env,
          NODE_ENV: 'development',
          PORT: String(port),
          LOG_LEVEL: 'silent',
          GATEWAY_INTROSPECTION_URL: `${evil.url}/introspect`,
          USERS_API_URL: upstream.url,
          PAYMENTS_API_URL: upstream.url,
          ACCOUNTS_API_URL_EU: upstream.url,
          ACCOUNTS_API_URL_US: upstream.url,
        },
        stdio: 'ignore',
      });
      try {
        let res;
        for (let i = 0; i < 50 && !res; i++) {
          res = await fetch(`http://127.0.0.1:${port}/api/accounts`, {
            headers: { authorization: 'Bearer opaque-token-value-123456' },
          }).catch(() => undefined);
          if (!res) await new Promise((r) => setTimeout(r, 200));
        }
        assert.ok(res, 'gateway did not start');
        assert.ok([401, 503].includes(res.status), `${what} -> ${res.status}`);
        assert.ok(evil.hits >= 1, 'the gateway asked the (evil) introspection endpoint');
        assert.equal(upstream.hits, 0, `${what}: a request reached a service`);
      } finally {
        child.kill('SIGTERM');
        await evil.close();
      }
    }
  } finally {
    await upstream.close();
  }
});
test('API10: the gateway never forwards upstream stack traces or internals to the client', async () => {
  const res = await api(await alice(), 'GET', '/api/payments/not-a-uuid');
  assert.equal(res.status, 400);
  assert.doesNotMatch(JSON.stringify(res.body), /stack|node_modules|QueryFailedError/);
});
