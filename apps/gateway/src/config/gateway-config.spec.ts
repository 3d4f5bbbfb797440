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
  NODE_ENV: 'production', OAUTH_ISSUER: 'https://as.bank.example', OAUTH_JWKS_URI: 'https://as.bank.example/jwks',
  OAUTH_CLIENT_SECRET_GATEWAY: 's'.repeat(32), OAUTH_CLIENT_SECRET_GATEWAY_BFF: 'b'.repeat(32), GATEWAY_COOKIE_KEY: Buffer.alloc(32, 7).toString('base64'),
  GATEWAY_BFF_REDIRECT_URI: 'https://bank.example/auth/callback', GATEWAY_ALLOWED_ORIGINS: 'https://bank.example', GATEWAY_POST_LOGIN_URL: '/',
  GATEWAY_REGIONS: 'eu,us', USERS_API_URL: 'http://users:3001', ACCOUNTS_API_URL_EU: 'http://accounts-eu:3002', ACCOUNTS_API_URL_US: 'http://accounts-us:3002',
  PAYMENTS_API_URL: 'http://payments:3003', GATEWAY_CLIENT_ID: 'gateway', GATEWAY_BFF_CLIENT_ID: 'gateway-bff', GATEWAY_BFF_SCOPE: 'openid accounts:read',
};

describe('loadGatewayConfig', () => {
  it('fills in the demo defaults in development mode', () => {
    const config = loadGatewayConfig({});
    expect(config.security.issuer).toBe('http://127.0.0.1:4000');
    expect(config.security.audiences).toEqual(['users-api', 'accounts-api', 'payments-api']);
    expect(config.upstreams.global.get('users')).toBe('http://127.0.0.1:3001');
    expect(config.upstreams.regional.get('accounts')?.get('us')).toBe('http://127.0.0.1:3002');
    expect(config.acceptClientJwts).toBe(false);
    expect(config.redisUrl).toBeUndefined();
    expect(config.rateLimits.map((r) => r.name)).toEqual(['ip-60s', 'ip-1s', 'client-60s', 'client-1s', 'user-60s', 'user-1s']);
  });

  it('accepts a complete production configuration', () => {
    expect(loadGatewayConfig(PRODUCTION).production).toBe(true);
  });

  it.each(['GATEWAY_COOKIE_KEY', 'OAUTH_CLIENT_SECRET_GATEWAY', 'OAUTH_CLIENT_SECRET_GATEWAY_BFF', 'ACCOUNTS_API_URL_US', 'GATEWAY_ALLOWED_ORIGINS', 'OAUTH_ISSUER'])(
    'has no development default for %s in production',
    (variable) => {
      const env: Record<string, string> = { ...PRODUCTION };
      delete env[variable];
      const error = failure(env);
      expect(error.message).toContain(variable);
    },
  );

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
  ])('refuses %j with one line naming %s', (env, variable) => {
    const error = failure(env as Record<string, string>);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes the cookie key', () => {
    expect(failure({ GATEWAY_COOKIE_KEY: 'secret-but-too-short' }).message).not.toContain('secret-but-too-short');
  });
});
