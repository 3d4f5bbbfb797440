import { isDevelopmentMode, resolveSecurityOptions } from './security-options';

const base = {
  OAUTH_ISSUER: 'https://as.bank.test',
  OAUTH_JWKS_URI: 'https://as.bank.test/jwks',
  OAUTH_AUDIENCE: 'https://api.bank.test',
};
const messageOf = (env: Record<string, string | undefined>, overrides = {}) => {
  try {
    resolveSecurityOptions(overrides, env);
    return 'OK';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('resolveSecurityOptions: the configuration contract', () => {
  it('reads the contract variables with secure defaults', () => {
    const o = resolveSecurityOptions(
      {},
      { ...base, OAUTH_AUDIENCE: ' a , b,', INTERNAL_SERVICE_URLS: 'http://accounts:3000/api' },
    );
    expect(o).toMatchObject({
      issuer: base.OAUTH_ISSUER,
      jwksUri: base.OAUTH_JWKS_URI,
      audiences: ['a', 'b'],
      algorithms: ['RS256', 'ES256'],
      clockSkewSeconds: 30,
      requireAtJwtTyp: true,
      internalServiceUrls: ['http://accounts:3000/api'],
      maxAuthorizationHeaderBytes: 8192,
    });
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('lets explicit options override the environment', () => {
    const o = resolveSecurityOptions(
      { audiences: ['x'], clockSkewSeconds: 5 },
      { ...base, OAUTH_CLOCK_SKEW_SECONDS: '60' },
    );
    expect(o.audiences).toEqual(['x']);
    expect(o.clockSkewSeconds).toBe(5);
  });

  it('parses the optional variables', () => {
    const o = resolveSecurityOptions(
      {},
      { ...base, OAUTH_ALGORITHMS: 'ES384, PS256', OAUTH_CLOCK_SKEW_SECONDS: '120', OAUTH_REQUIRE_AT_JWT_TYP: 'false' },
    );
    expect(o).toMatchObject({ algorithms: ['ES384', 'PS256'], clockSkewSeconds: 120, requireAtJwtTyp: false });
    expect(resolveSecurityOptions({}, { ...base, OAUTH_REQUIRE_AT_JWT_TYP: '0' }).requireAtJwtTyp).toBe(false);
    expect(resolveSecurityOptions({}, { ...base, OAUTH_REQUIRE_AT_JWT_TYP: 'TRUE' }).requireAtJwtTyp).toBe(true);
  });

  it.each([
    [{ OAUTH_ISSUER: undefined }, 'Invalid configuration: OAUTH_ISSUER must be an absolute URL'],
    [{ OAUTH_ISSUER: 'as.bank.test' }, 'Invalid configuration: OAUTH_ISSUER must be an absolute URL'],
    [{ OAUTH_ISSUER: 'ftp://as.bank.test' }, 'Invalid configuration: OAUTH_ISSUER must be an http(s) URL'],
    [{ OAUTH_JWKS_URI: '/jwks' }, 'Invalid configuration: OAUTH_JWKS_URI must be an absolute URL'],
    [{ OAUTH_AUDIENCE: ' , ' }, 'Invalid configuration: OAUTH_AUDIENCE must list at least one audience'],
    [{ OAUTH_AUDIENCE: undefined }, 'Invalid configuration: OAUTH_AUDIENCE must list at least one audience'],
    [
      { OAUTH_ALGORITHMS: 'RS256,HS256' },
      'Invalid configuration: OAUTH_ALGORITHMS must list only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA (got HS256)',
    ],
    [{ OAUTH_ALGORITHMS: 'none' }, 'got none'],
    [{ OAUTH_ALGORITHMS: ',' }, 'Invalid configuration: OAUTH_ALGORITHMS must list at least one algorithm'],
    [
      { OAUTH_CLOCK_SKEW_SECONDS: '121' },
      'Invalid configuration: OAUTH_CLOCK_SKEW_SECONDS must be an integer from 0 to 120',
    ],
    [{ OAUTH_CLOCK_SKEW_SECONDS: '-1' }, 'OAUTH_CLOCK_SKEW_SECONDS'],
    [{ OAUTH_CLOCK_SKEW_SECONDS: '1.5' }, 'OAUTH_CLOCK_SKEW_SECONDS'],
    [{ OAUTH_CLOCK_SKEW_SECONDS: 'abc' }, 'OAUTH_CLOCK_SKEW_SECONDS'],
    [{ OAUTH_REQUIRE_AT_JWT_TYP: 'yes' }, 'Invalid configuration: OAUTH_REQUIRE_AT_JWT_TYP must be true or false'],
    [{ INTERNAL_SERVICE_URLS: 'accounts:3000' }, 'Invalid configuration: INTERNAL_SERVICE_URLS must be an http(s) URL'],
    [{ INTERNAL_SERVICE_URLS: 'not a url' }, 'Invalid configuration: INTERNAL_SERVICE_URLS must be an absolute URL'],
    [
      { NODE_ENV: 'production', OAUTH_JWKS_URI: 'http://as.bank.test/jwks' },
      'Invalid configuration: OAUTH_JWKS_URI must use https in production',
    ],
  ])('refuses %o with one line naming the variable', (env, expected) => {
    const message = messageOf({ ...base, ...env });
    expect(message).toContain(expected);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('allows plain http for a loopback JWKS even in production, and any http in development chosen explicitly', () => {
    expect(messageOf({ ...base, NODE_ENV: 'production', OAUTH_JWKS_URI: 'http://127.0.0.1:4000/jwks' })).toBe('OK');
    expect(messageOf({ ...base, NODE_ENV: 'development', OAUTH_JWKS_URI: 'http://as:4000/jwks' })).toBe('OK');
    expect(messageOf({ ...base, NODE_ENV: 'test', OAUTH_JWKS_URI: 'http://as:4000/jwks' })).toBe('OK');
  });

  it.each([undefined, '', 'prod', 'staging'])(
    'applies production rules when NODE_ENV is %j (production unless told otherwise)',
    (mode) => {
      expect(messageOf({ ...base, NODE_ENV: mode, OAUTH_JWKS_URI: 'http://as:4000/jwks' })).toBe(
        'Invalid configuration: OAUTH_JWKS_URI must use https in production',
      );
      expect(isDevelopmentMode({ NODE_ENV: mode })).toBe(false);
    },
  );

  it('validates numeric tuning options', () => {
    expect(messageOf(base, { verifiedTokenCacheSize: -1 })).toBe(
      'Invalid configuration: verifiedTokenCacheSize must be a non-negative integer',
    );
    expect(messageOf(base, { jwksTimeoutMs: 1.5 })).toContain('jwksTimeoutMs');
  });
});
