import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import { devToken, introspect } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

const run = promisify(execFile);
const script = (name: string) => path.resolve(__dirname, '../../scripts', name);

describe('signing keys: rotation without failed requests, restart without lost tokens', () => {
  let server: RunningServer;
  const jwks = async (): Promise<JSONWebKeySet> =>
    (await fetch(`${server.issuer}/jwks`)).json() as Promise<JSONWebKeySet>;
  const phantomJwt = async (scope = 'accounts:read') => {
    const res = await introspect(server.issuer, await devToken(server.issuer, 'alice', scope), { jwt: true });
    if (res.status !== 200 || !res.type.startsWith('application/jwt'))
      throw new Error(`phantom introspection failed: ${res.status}`);
    return res.text;
  };
  const verifyWith = (set: JSONWebKeySet, jwt: string) =>
    jwtVerify(jwt, createLocalJWKSet(set), { issuer: server.issuer, audience: 'accounts-api', typ: 'at+jwt' });

  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_keys' });
  });
  afterAll(() => server?.close());

  it("publishes the next key before signing with it, so verifiers with yesterday's JWKS keep working", async () => {
    const before = await jwks();
    expect(before.keys.length).toBeGreaterThanOrEqual(2);
    expect(before.keys.every((key) => !('d' in key))).toBe(true);
    const oldJwt = await phantomJwt();
    const [signing, next] = before.keys.map((key) => key.kid);
    expect(decodeProtectedHeader(oldJwt).kid).toBe(signing);

    // Requests keep flowing while the one-command rotation runs.
    let rotating = true;
    const worker = async () => {
      const results: string[] = [];
      while (rotating) results.push(await phantomJwt());
      return results;
    };
    const traffic = Promise.all([worker(), worker(), worker(), worker()]).then((all) => all.flat());
    const { stdout } = await run(process.execPath, [script('rotate-keys.mjs')], {
      env: { ...process.env, OAUTH_ISSUER: server.issuer },
    });
    expect(stdout).toContain(`now signing with ${next}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    rotating = false;
    const during = await traffic;
    expect(during.length).toBeGreaterThan(0);
    for (const jwt of during) await expect(verifyWith(before, jwt)).resolves.toBeDefined();

    const newJwt = await phantomJwt();
    expect(decodeProtectedHeader(newJwt).kid).toBe(next);
    await expect(verifyWith(before, newJwt)).resolves.toBeDefined();
    const after = await jwks();
    await expect(verifyWith(after, oldJwt)).resolves.toBeDefined();
    expect(after.keys[0]?.kid).toBe(next);
    expect(after.keys.map((key) => key.kid)).toContain(signing);
  });

  it('keeps issued tokens valid across a restart (state and keys live in PostgreSQL)', async () => {
    const opaque = await devToken(server.issuer, 'bob', 'payments:read');
    const keysBefore = await jwks();
    await server.close();
    server = await startAuthorizationServer({ database: 'zt_test_as_keys', port: server.port });
    expect(await jwks()).toEqual(keysBefore);
    expect((await introspect(server.issuer, opaque)).json).toMatchObject({
      active: true,
      sub: 'usr_bob',
      region: 'us',
    });
    const jwt = (await introspect(server.issuer, opaque, { jwt: true })).text;
    await expect(
      jwtVerify(jwt, createLocalJWKSet(keysBefore), { issuer: server.issuer, audience: 'payments-api' }),
    ).resolves.toBeDefined();
  });

  it('refuses the rotation endpoint without the dev-tokens client credentials', async () => {
    const res = await fetch(`${server.issuer}/dev/signing-keys/rotate`, { method: 'POST' });
    expect(res.status).toBe(401);
  });
});
