import { createTlsTestPki, TlsTestPki } from '@zt/platform/testing';
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Production unless told otherwise, proven on the real entry points: each app's main.ts, started
 * as a deployment would start it but with NODE_ENV unset, must refuse to start with one line
 * naming the setting, instead of running on development defaults. (The TypeScript is run through
 * the benchmarks' swc hook, so no build is needed.)
 */
const root = path.resolve(__dirname, '..');
const APPS = ['authorization-server', 'gateway', 'users', 'accounts', 'payments'];

interface Exit {
  code: number | null;
  stderr: string;
}

/** Starts apps/<app>/src/main.ts with exactly `env` (plus PATH and HOME): no NODE_ENV unless given. */
function start(app: string, env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(root, 'bench/lib/ts-hook.cjs'), path.join(root, `apps/${app}/src/main.ts`)],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

describe('every app applies production rules when NODE_ENV is unset', () => {
  // Production requires TLS files: the checks after it get real ones, so they reach their own setting.
  let pki: TlsTestPki;
  beforeAll(async () => (pki = await createTlsTestPki(['authorization-server', 'gateway'])));
  afterAll(() => pki.remove());

  it.each(APPS)(
    '%s refuses to start on development defaults, naming the setting in one line',
    async (app) => {
      const { code, stderr } = await start(app, {});
      expect(code).not.toBe(0);
      expect(stderr).toMatch(
        new RegExp(
          `^${app}: Invalid configuration: [A-Z][A-Z0-9_]+ is required in production mode \\(NODE_ENV is unset, so production rules apply; NODE_ENV=development chooses local defaults\\)$`,
        ),
      );
    },
    60_000,
  );

  it('the authorization server refuses a development cookie key copied into production', async () => {
    const { code, stderr } = await start('authorization-server', {
      PORT: '4999',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/zt_test_never_created?sslmode=verify-full',
      OAUTH_ISSUER: 'https://auth.bank.example',
      OAUTH_COOKIE_KEYS: 'dev-only-cookie-key-0123456789-abcdefghijklmnop',
      ...pki.env('authorization-server'),
    });
    expect(code).not.toBe(0);
    expect(stderr).toBe(
      'authorization-server: Invalid configuration: OAUTH_COOKIE_KEYS is a development default, refused in production mode (set a random secret, e.g. openssl rand -base64 32)',
    );
  }, 60_000);

  it('the gateway refuses a development client secret copied into production', async () => {
    const { code, stderr } = await start('gateway', {
      PORT: '8999',
      OAUTH_ISSUER: 'https://auth.bank.example',
      OAUTH_JWKS_URI: 'https://auth.bank.example/jwks',
      GATEWAY_BFF_REDIRECT_URI: 'https://bank.example/auth/callback',
      OAUTH_CLIENT_SECRET_GATEWAY: 'dev-secret-gateway-change-me',
      ...pki.env('gateway'),
    });
    expect(code).not.toBe(0);
    // The gateway reads its configuration in a provider, where Nest also logs the error itself
    // before runService prints the operator's line: that line is the last one.
    expect(stderr.split('\n').pop()).toBe(
      'gateway: Invalid configuration: OAUTH_CLIENT_SECRET_GATEWAY is a development default, refused in production mode (set a random secret, e.g. openssl rand -base64 32)',
    );
  }, 60_000);

  it('an unknown NODE_ENV stops start-up naming it, rather than being guessed at', async () => {
    const { code, stderr } = await start('users', { NODE_ENV: 'prod' });
    expect(code).not.toBe(0);
    expect(stderr).toBe(
      'users: Invalid configuration: NODE_ENV must be production, development or test (got "prod"; unset means production)',
    );
  }, 60_000);
});
