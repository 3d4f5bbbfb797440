import { configFailure } from '@zt/platform/testing';
import { generateKeyPairSync } from 'node:crypto';
import { loadAuthorizationServerConfig } from './authorization-server-config';

const SECRET = 's'.repeat(40);
const privateJwk = () => ({
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'k1',
});
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

const failure = (env: Record<string, string>) => configFailure(() => loadAuthorizationServerConfig(env));

describe('loadAuthorizationServerConfig', () => {
  it('runs on development defaults only when development is chosen, with the dev-tokens client and keys from PostgreSQL', () => {
    const config = loadAuthorizationServerConfig({ NODE_ENV: 'development' });
    expect(config).toMatchObject({
      mode: 'development',
      production: false,
      issuer: 'http://127.0.0.1:4000',
      accessTokenTtlSeconds: 300,
      eventTokenTtlSeconds: 3600,
    });
    expect(config.configuredSigningKeys).toBeUndefined();
    expect(config.clients.map((c) => c.clientId)).toContain('dev-tokens');
  });

  it('binds service tokens to client certificates (RFC 8705) only when the server speaks TLS (TLS_CERT_FILE set)', () => {
    expect(loadAuthorizationServerConfig({ NODE_ENV: 'development' }).mutualTls).toBe(false);
    expect(loadAuthorizationServerConfig({ NODE_ENV: 'development', TLS_CERT_FILE: ' ' }).mutualTls).toBe(false);
    expect(
      loadAuthorizationServerConfig({ NODE_ENV: 'development', TLS_CERT_FILE: '/run/tls/tls.crt' }).mutualTls,
    ).toBe(true);
  });

  it('takes everything from the environment in production and leaves the development client out', () => {
    const config = loadAuthorizationServerConfig(productionEnv());
    expect(config.clients.map((c) => c.clientId)).not.toContain('dev-tokens');
    expect(config.clients.find((c) => c.clientId === 'gateway-bff')).toMatchObject({
      secret: SECRET,
      redirectUriList: ['https://bank.example/auth/callback'],
    });
    expect(config.configuredSigningKeys?.[0]).toMatchObject({ kid: 'k1', alg: 'RS256', use: 'sig' });
  });

  it('applies production rules when NODE_ENV is unset: no development default, no dev-tokens client', () => {
    const error = failure({});
    expect(error.variable).toBe('OAUTH_ISSUER');
    expect(error.message).toContain('is required in production mode (NODE_ENV is unset, so production rules apply');
    const unset = productionEnv();
    delete unset.NODE_ENV;
    const config = loadAuthorizationServerConfig(unset);
    expect(config).toMatchObject({ mode: 'production', production: true });
    expect(config.clients.map((c) => c.clientId)).not.toContain('dev-tokens');
  });

  it('refuses an unknown NODE_ENV naming it', () => {
    expect(failure({ ...productionEnv(), NODE_ENV: 'prod' }).variable).toBe('NODE_ENV');
  });

  describe.each([
    ['production', 'production'],
    ['unset', undefined],
  ])('with NODE_ENV %s', (_label, mode) => {
    const env = (): Record<string, string> => {
      const e = productionEnv();
      if (mode === undefined) delete e.NODE_ENV;
      return e;
    };

    it.each(Object.keys(productionEnv()).filter((name) => name !== 'NODE_ENV'))(
      'refuses to start without %s',
      (name) => {
        const e = env();
        delete e[name];
        expect(failure(e).variable).toBe(name);
      },
    );

    it.each([
      ['OAUTH_CLIENT_SECRET_GATEWAY', 'dev-secret-gateway-change-me'],
      ['OAUTH_CLIENT_SECRET_GATEWAY_BFF', 'dev-secret-gateway-bff-change-me'],
      ['OAUTH_CLIENT_SECRET_PAYMENTS_SERVICE', 'dev-secret-payments-service-change-me'],
      ['OAUTH_CLIENT_SECRET_ACCOUNTS_SERVICE', 'dev-secret-gateway-change-me'],
      ['OAUTH_CLIENT_SECRET_USERS_SERVICE', 'dev-secret-users-service-change-me'],
      ['OAUTH_COOKIE_KEYS', 'dev-only-cookie-key-0123456789-abcdefghijklmnop'],
      ['OAUTH_COOKIE_KEYS', `${'k'.repeat(40)},dev-only-cookie-key-0123456789-abcdefghijklmnop`],
    ])('refuses the development default copied into %s, naming it', (name, value) => {
      const error = failure({ ...env(), [name]: value });
      expect(error.variable).toBe(name);
      expect(error.message).toContain('is a development default, refused in production mode');
      expect(error.message).not.toContain(value);
    });
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
    expect(
      failure({ ...productionEnv(), OAUTH_SIGNING_KEYS: JSON.stringify({ keys: [{ kty, n, e }] }) }).message,
    ).toContain('not a valid private key');
  });
});
