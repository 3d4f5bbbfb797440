import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startGateway } from '../testing/start-gateway';
import { API_HELMET_OPTIONS, helmetHeaders } from './security-headers';

describe('security headers', () => {
  let gateway: NestFastifyApplication;
  beforeAll(async () => ({ app: gateway } = await startGateway({})));
  afterAll(async () => gateway?.close());

  it('takes the values from helmet itself, once', () => {
    expect(helmetHeaders()).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(helmetHeaders()['content-security-policy']).toContain("default-src 'self'");
  });

  it('gives API answers (refusals included) a CSP under which nothing loads or frames them', async () => {
    const res = await gateway.inject({ method: 'GET', url: '/api/users/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers).toMatchObject({
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(Object.keys(res.headers)).not.toContain('x-xss-protection');
    expect(Object.keys(helmetHeaders(API_HELMET_OPTIONS))).toHaveLength(6);
  });

  it("gives everything else helmet's defaults", async () => {
    const res = await gateway.inject({ method: 'GET', url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});
