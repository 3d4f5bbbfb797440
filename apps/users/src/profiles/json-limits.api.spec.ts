import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { expectProblem, startSecuredAppForTest, testDatabaseUrl } from '@zt/platform/testing';
import type { TestIssuer } from '@zt/security/testing';

/**
 * Issue 18, defect 2: an array nested a few thousand levels inside a field of PATCH /users/me
 * exhausted class-transformer's stack (a 5xx). The platform's JSON body parser now refuses any body
 * over the shape limits (JSON_MAX_*) on its raw text, before parsing or validation.
 */
describe('users API: JSON shape limits on request bodies', () => {
  let issuer: TestIssuer;
  let close: () => Promise<void>;
  let app: NestFastifyApplication;
  const patch = (payload: string) =>
    app.inject({
      method: 'PATCH',
      url: '/users/me',
      headers: {
        authorization: `Bearer ${issuer.token({ sub: 'usr_bob', scope: 'users:read users:write', region: 'us' })}`,
        'content-type': 'application/json',
      },
      payload,
    });
  const deepArray = (levels: number) => `${'['.repeat(levels)}"SECRET-BODY"${']'.repeat(levels)}`;

  beforeAll(async () => {
    ({ app, issuer, close } = await startSecuredAppForTest({
      name: 'users',
      audience: 'users-api',
      loadModule: async () => (await import('../app/app.module')).AppModule,
      env: { DATABASE_URL: testDatabaseUrl('zt_test_users_json_limits') },
    }));
  });
  afterAll(() => close?.());

  it.each([
    ['an array 2,000 levels deep in a field', `{"displayName":${deepArray(2_000)}}`],
    ['an array 3,000 levels deep in a field', `{"displayName":${deepArray(3_000)}}`],
    ['an array 12,000 levels deep in a field', `{"displayName":${deepArray(12_000)}}`],
    ['an object 12,000 levels deep as the whole body', `${'{"a":'.repeat(12_000)}"SECRET-BODY"${'}'.repeat(12_000)}`],
    ['33 levels, one over the limit', `{"displayName":${deepArray(32)}}`],
  ])('refuses %s with a 400 problem naming the limit, before any validation', async (_name, body) => {
    const res = await patch(body);
    expectProblem(res, 400, 'Bad request', 'JSON nested deeper than 32 levels');
    expect(res.body).not.toContain('SECRET-BODY');
  });

  it.each([
    [
      'a field with more than 1,000 array items',
      `{"displayName":[${'1,'.repeat(1_000)}1]}`,
      'JSON array with more than 1000 items',
    ],
    [
      'an object with more than 1,000 keys',
      `{${Array.from({ length: 1_001 }, (_, i) => `"k${i}":1`).join(',')}}`,
      'JSON object with more than 1000 keys',
    ],
    [
      'a string longer than 64 KiB',
      `{"displayName":"${'x'.repeat(64 * 1024 + 1)}"}`,
      'JSON string longer than 65536 characters',
    ],
  ])('refuses %s with a 400 problem', async (_name, body, detail) => {
    const res = await patch(body);
    expect([res.statusCode, res.json().detail]).toEqual([400, detail]);
  });

  it('refuses a body over the size limit with 413, as a problem', async () => {
    const res = await patch(`{"displayName":"${'x'.repeat(100 * 1024)}"}`);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 413 });
  });

  it('still parses and validates a body within the limits (32 levels reach validation)', async () => {
    const ok = await patch('{"displayName":"Bobby"}');
    expect([ok.statusCode, ok.json().displayName]).toEqual([200, 'Bobby']);
    const deepButAllowed = await patch(`{"displayName":${deepArray(31)}}`);
    expect(deepButAllowed.statusCode).toBe(400);
    expect(deepButAllowed.json().detail).toBeUndefined();
    expect(deepButAllowed.json().errors.join(' ')).toMatch(/displayName/);
  });

  it("keeps Fastify's refusal of prototype poisoning", async () => {
    const res = await patch('{"displayName":"x","__proto__":{"isAdmin":true}}');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
