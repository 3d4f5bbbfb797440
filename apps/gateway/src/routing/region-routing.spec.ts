import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateTestKey, TestIssuer } from '@zt/security/testing';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';

/** JWTs straight from a test issuer (GATEWAY_ACCEPT_CLIENT_JWTS=true) to reach claims the real AS never issues. */
describe('region routing by the verified region claim', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let eu: EchoUpstream;
  let us: EchoUpstream;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    issuer = await bed.issuer('accounts-api');
    [eu, us] = await Promise.all([bed.upstream('eu'), bed.upstream('us')]);
    gateway = await bed.gateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      ACCOUNTS_API_URL_EU: eu.url,
      ACCOUNTS_API_URL_US: us.url,
    });
  });

  const call = (token: string) =>
    gateway.inject({ method: 'GET', url: '/api/accounts/a1', headers: { authorization: `Bearer ${token}` } });

  it('sends each region to its own upstream', async () => {
    expect((await call(issuer.token({ region: 'eu' }))).json().upstream).toBe('eu');
    expect((await call(issuer.token({ region: 'us' }))).json().upstream).toBe('us');
  });

  it.each([[undefined], ['apac'], ['EU']])('refuses region %p instead of picking a default', async (region) => {
    const before = eu.requests.length + us.requests.length;
    const res = await call(issuer.token({ region }));
    expect(res.statusCode).toBe(403);
    expect(eu.requests.length + us.requests.length).toBe(before);
  });

  it('never believes a region that is not signed', async () => {
    const forged = issuer.token({ region: 'us' }, { key: generateTestKey('RS256') });
    expect((await call(forged)).statusCode).toBe(401);
  });

  it('refuses JWTs from internet clients unless configured otherwise', async () => {
    const strict = await bed.gateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      ACCOUNTS_API_URL_EU: eu.url,
    });
    const res = await strict.inject({
      method: 'GET',
      url: '/api/accounts/a1',
      headers: { authorization: `Bearer ${issuer.token({ region: 'eu' })}` },
    });
    expect(res.statusCode).toBe(401);
  });
});
