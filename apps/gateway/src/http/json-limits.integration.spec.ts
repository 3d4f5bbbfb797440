import { expectProblem } from '@zt/platform/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import type { EchoUpstream } from '../testing/echo-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';

/**
 * Issue 18, defect 2 at the door: from about 5,000 levels of nesting the gateway itself answered
 * 500 (a RangeError re-encoding the parsed body for the upstream). The platform's JSON body parser
 * now refuses any body over the shape limits on its raw text, before it is parsed, authenticated
 * or forwarded: the upstream never sees it.
 */
describe('gateway: JSON shape limits at the door', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let users: EchoUpstream;
  let gateway: NestFastifyApplication;
  let audit: string[];

  beforeAll(async () => {
    ({ issuer, users, gateway, audit: audit } = await bed.auditedUsersGateway());
  });

  const patch = (payload: string) =>
    gateway.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: {
        authorization: `Bearer ${issuer.token({ sub: 'usr_deep', scope: 'users:write' })}`,
        'content-type': 'application/json',
      },
      payload,
    });

  it.each([
    ['an object 12,000 levels deep as the whole body', `${'{"a":'.repeat(12_000)}"SECRET-BODY"${'}'.repeat(12_000)}`],
    ['an array 5,000 levels deep in a field', `{"displayName":${'['.repeat(5_000)}"SECRET-BODY"${']'.repeat(5_000)}}`],
    ['an array 2,000 levels deep in a field', `{"displayName":${'['.repeat(2_000)}"SECRET-BODY"${']'.repeat(2_000)}}`],
  ])('refuses %s with a 400 problem; the upstream is never called', async (_name, body) => {
    const before = users.requests.length;
    audit.length = 0;
    const res = await patch(body);
    expectProblem(res, 400, 'Bad request', 'JSON nested deeper than 32 levels');
    expect(res.body).not.toContain('SECRET-BODY');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(users.requests.length).toBe(before);
    expect(JSON.parse(audit[0] ?? 'null')).toMatchObject({ decision: 'deny', reason: 'JSON_SHAPE', status: 400 });
  });

  it('forwards a body within the limits', async () => {
    const res = await patch('{"displayName":{"nested":[[["ok"]]]}}');
    expect(res.statusCode).toBe(200);
    expect(res.json().body).toEqual({ displayName: { nested: [[['ok']]] } });
  });
});
