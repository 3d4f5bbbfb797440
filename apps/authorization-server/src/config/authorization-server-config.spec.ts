import { generateKeyPairSync } from 'node:crypto';
import { ConfigValidationError } from '@zt/platform';
import { loadAuthorizationServerConfig } from './authorization-server-config';

const SECRET = 's'.repeat(40);
const privateJwk = () => ({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'k1' });
const productionEnv = (): Record<string, string> => ({
  NODE_ENV: 'production',
  OAUTH_ISSUER: 'https://auth.bank.example',
  OAUTH_COOKIE_KEYS: 'c'.repeat(40),
  OAUTH_SIGNING_KEYS: JSON.stringify({ keys: [privateJwk()] }),
  OAUTH_GATEWAY_BFF_REDIRECT_URIS: 'https://bank.example/auth/callback',
  OAUTH_BANK_CLI_REDIRECT_URIS: 'http://127.0.0.1/callback',
  OAUTH_CLIENT_SECRET_GATEWAY_BFF: SECRET,
  OAUTH_CLIENT_SECRET_GATEWAY: SECRET,
  OAUTH_CLIENT_SECRET_PAYMENTS_SERVICE: SECRET,
  OAUTH_CLIENT_SECRET_ACCOUNTS_SERVICE: SECRET,
  OAUTH_CLIENT_SECRET_USERS_SERVICE: SECRET,
});

function failure(env: Record<string, string>): ConfigValidationError {
  try {
    loadAuthorizationServerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return error as ConfigValidationError;
  }
  throw new Error('expected a configuration error');
}

describe('loadAuthorizationServerConfig', () => {
  it('runs on development defaults, with the dev-tokens client and keys from PostgreSQL', () => {
    const config = loadAuthorizationServerConfig({});
    expect(config).toMatchObject({ production: false, issuer: 'http://127.0.0.1:4000', accessTokenTtlSeconds: 300, eventTokenTtlSeconds: 3600 });
    expect(config.configuredSigningKeys).toBeUndefined();
    expect(config.clients.map((c) => c.clientId)).toContain('dev-tokens');
  });

  it('takes everything from the environment in production and leaves the development client out', () => {
    const config = loadAuthorizationServerConfig(productionEnv());
    expect(config.clients.map((c) => c.clientId)).not.toContain('dev-tokens');
    expect(config.clients.find((c) => c.clientId === 'gateway-bff')).toMatchObject({ secret: SECRET, redirectUriList: ['https://bank.example/auth/callback'] });
    expect(config.configuredSigningKeys?.[0]).toMatchObject({ kid: 'k1', alg: 'RS256', use: 'sig' });
  });

  it.each(Object.keys(productionEnv()).filter((name) => name !== 'NODE_ENV'))('refuses to start in production without %s', (name) => {
    const env = productionEnv();
    delete env[name];
    const error = failure(env);
    expect(error.variable).toBe(name);
  });

  it.each([
    [{ OAUTH_CLIENT_SECRET_GATEWAY: 'short' }, 'OAUTH_CLIENT_SECRET_GATEWAY', 'at least 32'],
    [{ OAUTH_SIGNING_KEYS: 'not json' }, 'OAUTH_SIGNING_KEYS', 'JSON Web Key Set'],
    [{ OAUTH_SIGNING_KEYS: '{"keys":[{"kty":"oct","k":"abc"}]}' }, 'OAUTH_SIGNING_KEYS', 'RSA key for RS256'],
    [{ OAUTH_EVENT_TOKEN_TTL_SECONDS: '0' }, 'OAUTH_EVENT_TOKEN_TTL_SECONDS', 'whole number'],
    [{ OAUTH_ISSUER: 'https://auth.example/?x=1' }, 'OAUTH_ISSUER', 'query'],
  ])('refuses %j naming %s, without echoing secrets', (override, variable, problem) => {
    const error = failure({ ...productionEnv(), ...override });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain('short');
  });

  it('refuses a public signing key (the server must be able to sign)', () => {
    const { kty, n, e } = privateJwk();
    expect(failure({ ...productionEnv(), OAUTH_SIGNING_KEYS: JSON.stringify({ keys: [{ kty, n, e }] }) }).message).toContain('not a valid private key');
  });
});
