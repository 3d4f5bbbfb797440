import { createHash } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { metricValue } from '../testing/start-gateway';

/** What the audit writes for each kind of outcome, read from the gateway's own AccessLog. */
describe('access audit and /metrics', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let gateway: NestFastifyApplication;
  let lines: string[];

  beforeAll(async () => {
    ({ issuer, gateway, audit: lines } = await bed.auditedUsersGateway());
  });

  /** The one audit line of the next request. */
  async function audited(request: Parameters<NestFastifyApplication['inject']>[0]) {
    lines.length = 0;
    const res = await gateway.inject(request as never);
    expect(lines).toHaveLength(1);
    return { res, line: lines[0]!, entry: JSON.parse(lines[0]!) }; // one line: asserted just above
  }

  it('records who, what, the decision and the token hash of an allowed request, and no secret', async () => {
    const token = issuer.token({ sub: 'usr_audit', scope: 'users:read', client_id: 'bank-cli' });
    const { res, line, entry } = await audited({
      method: 'GET',
      url: '/api/users/me?email=a@b.c',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(entry).toMatchObject({
      log: 'access',
      requestId: res.headers['x-request-id'],
      clientId: 'bank-cli',
      sub: 'usr_audit',
      method: 'GET',
      route: '/api/users',
      decision: 'allow',
      reason: 'OK',
      status: 200,
      tokenHash: createHash('sha256').update(token).digest('hex').slice(0, 16),
    });
    expect(entry.latencyMs).toBeGreaterThan(0);
    expect(entry.time).toEqual(expect.any(String));
    for (const secret of [token, token.split('.')[1], token.split('.')[2], '127.0.0.1', 'a@b.c', 'email'])
      expect(line).not.toContain(secret);
  });

  it('records a refusal with its stable reason code', async () => {
    const { entry } = await audited({ method: 'GET', url: '/api/users/me' });
    expect(entry).toMatchObject({ decision: 'deny', reason: 'ERR_TOKEN_MISSING', status: 401, route: '/api/users' });
    expect(entry.sub).toBeUndefined();
    const wrongScope = await audited({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'payments:read' })}` },
    });
    expect(wrongScope.entry).toMatchObject({ decision: 'deny', status: 403 });
  });

  it('records an upstream failure as an error, while the client sees no detail', async () => {
    const { res, entry } = await audited({
      method: 'GET',
      url: '/api/users/boom',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'users:read' })}` },
    });
    expect(res.statusCode).toBe(502);
    expect(res.body).not.toContain('TypeError');
    expect(entry).toMatchObject({ decision: 'error', reason: 'UPSTREAM_500', status: 502 });
  });

  it('turns an answer cut off mid-body into a 502 problem, never a truncated 200', async () => {
    const { res, entry } = await audited({
      method: 'GET',
      url: '/api/users/truncated',
      headers: { authorization: `Bearer ${issuer.token({ scope: 'users:read' })}` },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ status: 502, detail: 'The service is not reachable' });
    expect(entry).toMatchObject({ decision: 'error', reason: 'UPSTREAM_BODY_FAILED', status: 502 });
  });

  it('serves /metrics to allowed addresses only, and counts requests by route and status', async () => {
    const outsider = await audited({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(outsider.res.statusCode).toBe(404);
    expect(outsider.res.body).not.toContain('gateway_');
    expect(outsider.entry).toMatchObject({ route: 'metrics', decision: 'deny', reason: 'METRICS_ADDRESS' });
    expect(
      await metricValue(gateway, 'gateway_requests_total{route="/api/users",status="200"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(await metricValue(gateway, 'gateway_requests_total{route="metrics",status="404"}')).toBeGreaterThanOrEqual(
      1,
    );
  });
});
