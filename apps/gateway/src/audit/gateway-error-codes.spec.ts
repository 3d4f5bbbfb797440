import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import Fastify from 'fastify';
import { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { GatewayErrorCode } from '../errors/gateway-errors';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { CookieCipher } from '../token-handler/cookie-cipher';
import { COOKIES } from '../token-handler/session-cookies';
import { AccessLog } from './access-log';

const csrf = { origin: 'http://127.0.0.1:8080', 'x-zt-csrf': '1' };

/**
 * The token refusals the gateway makes itself each have their own code in the audit line (they
 * all used to read ERR_TOKEN_MALFORMED), while the client still gets the one uniform
 * `invalid_token`. The authorization server is a stub on 127.0.0.1: every token is inactive,
 * every refresh is refused.
 */
describe('gateway token refusal codes in the access audit', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let gateway: NestFastifyApplication;
  const lines: string[] = [];

  beforeAll(async () => {
    issuer = await bed.issuer('users-api');
    const as = Fastify();
    as.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    as.get('/.well-known/openid-configuration', async (req) => {
      const base = `http://${req.headers.host}`;
      return {
        issuer: base,
        introspection_endpoint: `${base}/token/introspection`,
        token_endpoint: `${base}/token`,
        revocation_endpoint: `${base}/token/revocation`,
      };
    });
    as.post('/token/introspection', async () => ({ active: false }));
    as.post('/token', async (_req, reply) => reply.code(400).send({ error: 'invalid_grant' }));
    await as.listen({ port: 0, host: '127.0.0.1' });
    bed.stopAfterAll(as, () => as.close());
    const { port } = as.server.address() as { port: number };
    gateway = await bed.gateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_AUTHORIZATION_SERVER_URL: `http://127.0.0.1:${port}`,
    });
    gateway.get(AccessLog).useDestination({ write: (line: string) => lines.push(line) });
  });

  /** Status, RFC 6750 challenge and the audit line of one request. */
  async function refused(request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string> }) {
    lines.length = 0;
    const res = await gateway.inject(request);
    expect(lines).toHaveLength(1);
    return { status: res.statusCode, challenge: res.headers['www-authenticate'], entry: JSON.parse(lines[0]!) }; // one line: asserted just above
  }

  /** A session cookie as the gateway itself would have set it. */
  const sealed = (name: string, value: string) =>
    new CookieCipher(gateway.get<string, GatewayConfig>(GATEWAY_CONFIG).bff.cookieKey).encrypt(name, value);

  it('names an opaque token the authorization server says is inactive, fresh and cached', async () => {
    for (const attempt of ['introspected', 'cached']) {
      const { status, challenge, entry } = await refused({
        method: 'GET',
        url: '/api/users/me',
        headers: { authorization: 'Bearer opaque-token-nobody-issued' },
      });
      expect({ attempt, status, entry: { decision: entry.decision, reason: entry.reason } }).toEqual({
        attempt,
        status: 401,
        entry: { decision: 'deny', reason: GatewayErrorCode.TOKEN_INACTIVE },
      });
      expect(challenge).toContain('error="invalid_token"');
    }
  });

  it('names a JWT presented by an internet client', async () => {
    const { status, challenge, entry } = await refused({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'users:read' })}` },
    });
    expect(status).toBe(401);
    expect(challenge).toContain('error="invalid_token"');
    expect(entry).toMatchObject({ decision: 'deny', reason: 'ERR_CLIENT_JWT_REFUSED' });
  });

  it('names a session cookie that does not decrypt, on the API, the session and the refresh routes', async () => {
    const tampered = `${COOKIES.access}=${sealed(COOKIES.access, 'opaque').slice(0, -4)}AAAA`;
    for (const request of [
      { method: 'GET' as const, url: '/api/users/me', headers: { cookie: tampered } },
      { method: 'GET' as const, url: '/auth/session', headers: { cookie: tampered } },
      {
        method: 'POST' as const,
        url: '/auth/refresh',
        headers: { ...csrf, cookie: `${COOKIES.refresh}=v1.not-a-sealed-value` },
      },
    ]) {
      const { status, entry } = await refused(request);
      expect({ url: request.url, status, reason: entry.reason }).toEqual({
        url: request.url,
        status: 401,
        reason: 'ERR_SESSION_COOKIE_TAMPERED',
      });
    }
  });

  it('names a refresh the authorization server refused', async () => {
    const cookie = `${COOKIES.refresh}=${sealed(COOKIES.refresh, 'refresh-token-the-server-refuses')}`;
    const { status, challenge, entry } = await refused({
      method: 'POST',
      url: '/auth/refresh',
      headers: { ...csrf, cookie },
    });
    expect(status).toBe(401);
    expect(challenge).toContain('error="invalid_token"');
    expect(entry).toMatchObject({ decision: 'deny', reason: 'ERR_REFRESH_REFUSED', route: 'token-handler' });
  });

  it('names a refresh without a refresh cookie', async () => {
    const { status, entry } = await refused({ method: 'POST', url: '/auth/refresh', headers: csrf });
    expect(status).toBe(401);
    expect(entry).toMatchObject({ decision: 'deny', reason: 'ERR_REFRESH_COOKIE_MISSING' });
  });
});
