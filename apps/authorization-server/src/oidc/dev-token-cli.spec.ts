import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { introspect } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

const run = promisify(execFile);
const cli = path.resolve(__dirname, '../../scripts/token.mjs');

describe('npm run token (development tokens CLI)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_dev_cli' });
  });
  afterAll(() => server?.close());

  const token = (...args: string[]) =>
    run(process.execPath, [cli, ...args], { env: { ...process.env, OAUTH_ISSUER: server.issuer } });

  it('prints an opaque token that works at once, and the claims of its JWT but never the JWT', async () => {
    const { stdout } = await token('--user', 'bob', '--scope', 'accounts:read payments:write');
    const opaque = /access token \(opaque, expires in \d+s\):\n(\S+)\n/.exec(stdout)?.[1];
    if (opaque === undefined) throw new Error(`no opaque token printed:\n${stdout}`);
    expect(opaque.split('.')).toHaveLength(1);
    expect(stdout).toContain('"sub": "usr_bob"');
    expect(stdout).toContain('"region": "us"');
    expect(stdout).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect((await introspect(server.issuer, opaque)).json).toMatchObject({
      active: true,
      scope: 'accounts:read payments:write',
    });
  });

  it('fails with the standard error for a scope the user may not have', async () => {
    await expect(token('--user', 'alice', '--scope', 'users:admin')).rejects.toMatchObject({
      stderr: expect.stringContaining('invalid_scope'),
    });
  });
});
