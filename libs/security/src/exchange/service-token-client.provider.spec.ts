import type { FactoryProvider } from '@nestjs/common';
import type { SecurityOptions } from '../config/security-options';
import { ConfigurationError } from '../errors/security-errors';
import { serviceTokenClientProvider } from './service-token-client.provider';
import { ServiceTokenClient, type ServiceTokenClientOptions } from './service-token.client';

const provider = serviceTokenClientProvider({
  clientId: 'dev-client',
  clientSecret: 'dev-secret',
}) as FactoryProvider<ServiceTokenClient>;
const security = { issuer: 'http://localhost:4000' } as SecurityOptions;
const optionsOf = (client: ServiceTokenClient) => (client as unknown as { options: ServiceTokenClientOptions }).options;

describe('serviceTokenClientProvider', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['NODE_ENV', 'OAUTH_TOKEN_ENDPOINT', 'OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  const build = (env: Record<string, string | undefined>, options: SecurityOptions = security) => {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    return provider.useFactory(options) as ServiceTokenClient;
  };
  const production = {
    NODE_ENV: 'production',
    OAUTH_CLIENT_ID: 'payments-service',
    OAUTH_CLIENT_SECRET: 'a-secret-long-enough-for-production',
  };

  it('uses OAUTH_TOKEN_ENDPOINT and allows plain HTTP to an internal name in development mode only', () => {
    const client = build({ NODE_ENV: 'development', OAUTH_TOKEN_ENDPOINT: 'http://authorization-server:4000/token' });
    expect(optionsOf(client)).toMatchObject({
      issuer: 'http://localhost:4000',
      tokenEndpoint: 'http://authorization-server:4000/token',
      allowInsecureHttp: true,
    });
  });

  it('stops start-up in production on a plain-HTTP token endpoint that is not loopback, naming OAUTH_TOKEN_ENDPOINT', () => {
    expect(() => build({ ...production, OAUTH_TOKEN_ENDPOINT: 'http://authorization-server:4000/token' })).toThrow(
      ConfigurationError,
    );
    expect(() => build({ ...production, OAUTH_TOKEN_ENDPOINT: 'http://authorization-server:4000/token' })).toThrow(
      /OAUTH_TOKEN_ENDPOINT/,
    );
  });

  it('stops start-up when NODE_ENV is unset (production) on a plain-HTTP issuer that is not loopback, naming OAUTH_ISSUER', () => {
    expect(() =>
      build({ ...production, NODE_ENV: undefined, OAUTH_TOKEN_ENDPOINT: undefined }, {
        issuer: 'http://auth.internal:4000',
      } as SecurityOptions),
    ).toThrow(/OAUTH_ISSUER/);
  });

  it('never allows plain HTTP beyond loopback in production, and accepts HTTPS there', () => {
    const client = build({ ...production, OAUTH_TOKEN_ENDPOINT: 'https://auth.internal/token' });
    expect(optionsOf(client)).toMatchObject({ tokenEndpoint: 'https://auth.internal/token', allowInsecureHttp: false });
  });

  it('refuses an OAUTH_TOKEN_ENDPOINT that is not an absolute http(s) URL', () => {
    expect(() => build({ NODE_ENV: 'development', OAUTH_TOKEN_ENDPOINT: 'authorization-server/token' })).toThrow(
      /OAUTH_TOKEN_ENDPOINT/,
    );
    expect(() => build({ NODE_ENV: 'development', OAUTH_TOKEN_ENDPOINT: 'ftp://authorization-server/token' })).toThrow(
      /OAUTH_TOKEN_ENDPOINT/,
    );
  });
});
