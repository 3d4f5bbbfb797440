import { ConfigValidationError } from '@zt/platform';
import { loadGatewayConfig } from './gateway-config';

function failure(env: Record<string, string>): ConfigValidationError | { variable: string; message: string } {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    return error as ConfigValidationError;
  }
  throw new Error('expected a configuration error');
}

const PRODUCTION = {
  NODE_ENV: 'production',
  OAUTH_ISSUER: 'https://as.bank.example',
  OAUTH_JWKS_URI: 'https://as.bank.example/jwks',
  OAUTH_CLIENT_SECRET_GATEWAY: 's'.repeat(32),
  OAUTH_CLIENT_SECRET_GATEWAY_BFF: 'b'.repeat(32),
  GATEWAY_COOKIE_KEY: Buffer.alloc(32, 7).toString('base64'),
  GATEWAY_BFF_REDIRECT_URI: 'https://bank.example/auth/callback',
  GATEWAY_ALLOWED_ORIGINS: 'https://bank.example',
  GATEWAY_POST_LOGIN_URL: '/',
  GATEWAY_REGIONS: 'eu,us',
  USERS_API_URL: 'http://users:3001',
  ACCOUNTS_API_URL_EU: 'http://accounts-eu:3002',
  ACCOUNTS_API_URL_US: 'http://accounts-us:3002',
  PAYMENTS_API_URL: 'http://payments:3003',
  GATEWAY_CLIENT_ID: 'gateway',
  GATEWAY_BFF_CLIENT_ID: 'gateway-bff',
  GATEWAY_BFF_SCOPE: 'openid accounts:read',
};

describe('loadGatewayConfig', () => {
  it('fills in the demo defaults in development mode, chosen explicitly', () => {
    const config = loadGatewayConfig({ NODE_ENV: 'development' });
    expect(config).toMatchObject({ mode: 'development', production: false });
    expect(config.security.issuer).toBe('http://127.0.0.1:4000');
    expect(config.security.audiences).toEqual(['users-api', 'accounts-api', 'payments-api']);
    expect(config.upstreams.global.get('users')).toBe('http://127.0.0.1:3001');
    expect(config.upstreams.regional.get('accounts')?.get('us')).toBe('http://127.0.0.1:3002');
    expect(config.acceptClientJwts).toBe(false);
    expect(config.redisUrl).toBeUndefined();
    expect(config.rateLimits.map((r) => r.name)).toEqual([
      'ip-60s',
      'ip-1s',
      'client-60s',
      'client-1s',
      'user-60s',
      'user-1s',
    ]);
    expect(config.maxResponseBytes).toBe(10 * 1024 * 1024);
  });

  it('accepts a complete production configuration', () => {
    expect(loadGatewayConfig(PRODUCTION).production).toBe(true);
  });

  it('applies production rules when NODE_ENV is unset', () => {
    const error = failure({});
    expect(error.message).toContain(
      'OAUTH_ISSUER is required in production mode (NODE_ENV is unset, so production rules apply',
    );
    const unset: Record<string, string> = { ...PRODUCTION };
    delete unset.NODE_ENV;
    expect(loadGatewayConfig(unset)).toMatchObject({ mode: 'production', production: true });
    delete unset.GATEWAY_COOKIE_KEY;
    expect(failure(unset).message).toContain('GATEWAY_COOKIE_KEY is required in production mode');
  });

  it('refuses an unknown NODE_ENV naming it', () => {
    expect(failure({ ...PRODUCTION, NODE_ENV: 'prod' }).message).toContain(
      'Invalid configuration: NODE_ENV must be production, development or test',
    );
  });

  it.each([
    ['OAUTH_CLIENT_SECRET_GATEWAY', 'dev-secret-gateway-change-me'],
    ['OAUTH_CLIENT_SECRET_GATEWAY_BFF', 'dev-secret-gateway-bff-change-me'],
    ['OAUTH_CLIENT_SECRET_GATEWAY_BFF', 'dev-secret-payments-service-change-me'],
    ['GATEWAY_COOKIE_KEY', Buffer.from('dev-only-gateway-cookie-key-32b!').toString('base64')],
  ])('refuses the development default copied into %s in production, naming it', (variable, value) => {
    for (const mode of ['production', undefined]) {
      const env: Record<string, string> = { ...PRODUCTION, [variable]: value };
      if (!mode) delete env.NODE_ENV;
      const error = failure(env);
      expect(error.message).toContain(
        `Invalid configuration: ${variable} is a development default, refused in production mode`,
      );
      expect(error.message).not.toContain(value);
    }
  });

  it.each([
    'GATEWAY_COOKIE_KEY',
    'OAUTH_CLIENT_SECRET_GATEWAY',
    'OAUTH_CLIENT_SECRET_GATEWAY_BFF',
    'ACCOUNTS_API_URL_US',
    'GATEWAY_ALLOWED_ORIGINS',
    'OAUTH_ISSUER',
  ])('has no development default for %s in production', (variable) => {
    const env: Record<string, string> = { ...PRODUCTION };
    delete env[variable];
    const error = failure(env);
    expect(error.message).toContain(variable);
  });

  it.each([
    [{ GATEWAY_COOKIE_KEY: 'c2hvcnQ=' }, 'GATEWAY_COOKIE_KEY'],
    [{ USERS_API_URL: 'http://users:3001/v1' }, 'USERS_API_URL'],
    [{ USERS_API_URL: 'ftp://users' }, 'USERS_API_URL'],
    [{ GATEWAY_RATE_LIMIT_USER: '10 per second' }, 'GATEWAY_RATE_LIMIT_USER'],
    [{ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/99' }, 'GATEWAY_TRUSTED_PROXIES'],
    [{ GATEWAY_ALLOWED_ORIGINS: 'https://bank.example/app' }, 'GATEWAY_ALLOWED_ORIGINS'],
    [{ GATEWAY_INTROSPECTION_CACHE_MAX_SECONDS: '0' }, 'GATEWAY_INTROSPECTION_CACHE_MAX_SECONDS'],
    [{ REDIS_URL: 'http://redis:6379' }, 'REDIS_URL'],
    [{ GATEWAY_POST_LOGIN_URL: '//evil.example' }, 'GATEWAY_POST_LOGIN_URL'],
    [{ GATEWAY_ACCEPT_CLIENT_JWTS: 'maybe' }, 'GATEWAY_ACCEPT_CLIENT_JWTS'],
    [{ GATEWAY_REGIONS: 'eu,US WEST' }, 'GATEWAY_REGIONS'],
    [{ GATEWAY_MAX_RESPONSE_BYTES: '1024' }, 'GATEWAY_MAX_RESPONSE_BYTES'],
    [{ GATEWAY_MAX_RESPONSE_BYTES: '10MiB' }, 'GATEWAY_MAX_RESPONSE_BYTES'],
  ])('refuses %j with one line naming %s', (env, variable) => {
    const error = failure({ NODE_ENV: 'development', ...env } as Record<string, string>);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes the cookie key', () => {
    expect(failure({ NODE_ENV: 'development', GATEWAY_COOKIE_KEY: 'secret-but-too-short' }).message).not.toContain(
      'secret-but-too-short',
    );
  });
});
