import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { API_HELMET_OPTIONS, helmetHeaders } from './security-headers';

describe('security headers', () => {
  const bed = gatewayTestBed();
  let gateway: NestFastifyApplication;
  beforeAll(async () => (gateway = await bed.gateway({})));

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

describe('CORS from the allowlist (GATEWAY_ALLOWED_ORIGINS)', () => {
  const bed = gatewayTestBed();
  let gateway: NestFastifyApplication;
  beforeAll(async () => (gateway = await bed.gateway({ GATEWAY_ALLOWED_ORIGINS: 'https://bank.example' })));

  const preflight = (origin: string) =>
    gateway.inject({
      method: 'OPTIONS',
      url: '/api/payments',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-zt-csrf',
      },
    });

  it('answers a preflight from an allowed origin, with credentials and the CSRF header allowed', async () => {
    const res = await preflight('https://bank.example');
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://bank.example',
      'access-control-allow-credentials': 'true',
    });
    expect(String(res.headers['access-control-allow-headers'])).toContain('x-zt-csrf');
  });

  it('gives another origin, and a request without Origin, no CORS header at all', async () => {
    const evil = await preflight('https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-credentials']).toBeUndefined();
    const plain = await gateway.inject({ method: 'GET', url: '/api/users/me' });
    expect(Object.keys(plain.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(plain.headers.vary).toContain('Origin');
  });
});
