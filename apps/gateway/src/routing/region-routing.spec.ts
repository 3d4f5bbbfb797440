import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateTestKey, TestIssuer } from '@zt/security/testing';
import { startEchoUpstream } from '../testing/echo-upstream';
import { startGateway } from '../testing/start-gateway';

/** JWTs straight from a test issuer (GATEWAY_ACCEPT_CLIENT_JWTS=true) to reach claims the real AS never issues. */
describe('region routing by the verified region claim', () => {
  let issuer: TestIssuer;
  let eu: Awaited<ReturnType<typeof startEchoUpstream>>;
  let us: Awaited<ReturnType<typeof startEchoUpstream>>;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    issuer = await TestIssuer.start({ audience: 'accounts-api' });
    [eu, us] = await Promise.all([startEchoUpstream('eu'), startEchoUpstream('us')]);
    ({ app: gateway } = await startGateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      ACCOUNTS_API_URL_EU: eu.url,
      ACCOUNTS_API_URL_US: us.url,
    }));
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([eu?.close(), us?.close(), issuer?.stop()]);
  });

  const call = (token: string) => gateway.inject({ method: 'GET', url: '/api/accounts/a1', headers: { authorization: `Bearer ${token}` } });

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
    const strict = await startGateway({ OAUTH_ISSUER: issuer.issuer, OAUTH_JWKS_URI: issuer.jwksUri, ACCOUNTS_API_URL_EU: eu.url });
    try {
      const res = await strict.app.inject({ method: 'GET', url: '/api/accounts/a1', headers: { authorization: `Bearer ${issuer.token({ region: 'eu' })}` } });
      expect(res.statusCode).toBe(401);
    } finally {
      await strict.app.close();
    }
  });
});
