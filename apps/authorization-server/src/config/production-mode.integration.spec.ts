import { createTlsTestPki, testDatabaseUrl, TlsTestPki } from '@zt/platform/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { fetch as undiciFetch } from 'undici';
import { generateSigningJwk } from '../keys/signing-jwk';
import { postForm } from '../testing/oauth-clients';
import { freePort, RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';
import { UsersService } from '../users/users.service';

const DATABASE = 'zt_test_as_production_mode';
const DEV_USER_GRANT = 'urn:zt:params:oauth:grant-type:dev-user';
const secret = () => randomBytes(32).toString('base64url');

/**
 * The real authorization server with NODE_ENV unset (empty) and every production value given:
 * production rules apply, and no development feature exists.
 */
describe('authorization server without NODE_ENV: production, no development features', () => {
  let server: RunningServer;
  let pki: TlsTestPki;
  const paymentsSecret = secret();
  const nodeFetch = globalThis.fetch;

  beforeAll(async () => {
    // Production serves HTTPS only, with certificates from the platform CA. Requests of this test go
    // through undici's fetch, which (unlike Node's, in Jest's VM context) uses the global dispatcher
    // the platform installed: it trusts the platform CA and presents the workload certificate.
    pki = await createTlsTestPki(['authorization-server']);
    globalThis.fetch = undiciFetch as unknown as typeof fetch;
    const port = await freePort();
    // A fresh database: a seeded user left by an earlier run must not hide a seeding in this one.
    const admin = new Client({ connectionString: testDatabaseUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await admin.end();
    server = await startAuthorizationServer({
      database: DATABASE,
      port,
      env: {
        NODE_ENV: '',
        ...pki.env('authorization-server'),
        OAUTH_ISSUER: `https://127.0.0.1:${port}`,
        OAUTH_COOKIE_KEYS: secret(),
        OAUTH_SIGNING_KEYS: JSON.stringify({ keys: [generateSigningJwk()] }),
        OAUTH_GATEWAY_BFF_REDIRECT_URIS: 'https://bank.example/auth/callback',
        OAUTH_BANK_CLI_REDIRECT_URIS: 'http://127.0.0.1/callback',
        OAUTH_CLIENT_SECRET_GATEWAY_BFF: secret(),
        OAUTH_CLIENT_SECRET_GATEWAY: secret(),
        OAUTH_CLIENT_SECRET_PAYMENTS_SERVICE: paymentsSecret,
        OAUTH_CLIENT_SECRET_ACCOUNTS_SERVICE: secret(),
        OAUTH_CLIENT_SECRET_USERS_SERVICE: secret(),
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    globalThis.fetch = nodeFetch;
    pki?.remove();
  });

  it('answers unsupported_grant_type for the development-user grant and does not advertise it', async () => {
    const basic = `Basic ${Buffer.from(`payments-service:${paymentsSecret}`).toString('base64')}`;
    const res = await postForm(
      `${server.issuer}/token`,
      { grant_type: DEV_USER_GRANT, username: 'admin', scope: 'users:read' },
      undefined,
      { authorization: basic },
    );
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('unsupported_grant_type');
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as {
      grant_types_supported: string[];
    };
    expect(discovery.grant_types_supported).not.toContain(DEV_USER_GRANT);
  });

  it('has no dev-tokens client', async () => {
    const res = await postForm(
      `${server.issuer}/token`,
      { grant_type: DEV_USER_GRANT, username: 'admin' },
      'dev-tokens',
    );
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
  });

  it('has no key-rotation endpoint', async () => {
    const res = await fetch(`${server.issuer}/dev/signing-keys/rotate`, { method: 'POST' });
    expect(res.status).toBe(404);
  });

  it('makes the development CLIs say why they cannot work here', async () => {
    const run = (script: string) =>
      promisify(execFile)(process.execPath, [path.resolve(__dirname, '../../scripts', script)], {
        // The CLIs are plain Node processes: they trust the platform CA through Node's own setting.
        env: {
          ...process.env,
          OAUTH_ISSUER: server.issuer,
          NODE_EXTRA_CA_CERTS: pki.env('authorization-server').TLS_CA_FILE,
        },
      });
    for (const script of ['token.mjs', 'rotate-keys.mjs']) {
      await expect(run(script)).rejects.toMatchObject({
        stderr: expect.stringContaining(
          `(is the authorization server at ${server.issuer} in development mode? NODE_ENV unset means production, where this does not exist)`,
        ),
      });
    }
  });

  it('seeds no user', async () => {
    const users = server.app.get(UsersService);
    for (const username of ['alice', 'bob', 'admin']) expect(await users.findByUsername(username)).toBeUndefined();
  });
});
