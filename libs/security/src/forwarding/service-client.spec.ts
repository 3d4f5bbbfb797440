import { ErrorCode, type ForwardingError } from '../errors/security-errors';
import { SpyServer } from '../testing/spy-server';
import { ServiceClient } from './service-client';

describe('ServiceClient: token forwarding only to internal services', () => {
  let internal: SpyServer;
  let outside: SpyServer;
  let client: ServiceClient;
  const principal = { token: 'header.payload.signature' };
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'OK',
      (e: ForwardingError) => e.code,
    );

  beforeAll(async () => {
    outside = await SpyServer.start();
    internal = await SpyServer.start((url, res) => {
      if (url.startsWith('/api/redirect')) return void res.writeHead(302, { location: `${outside.url}/steal` }).end();
      if (url.startsWith('/api/401')) return void res.writeHead(401).end();
      if (url.startsWith('/api/403')) return void res.writeHead(403).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    client = new ServiceClient({ internalServiceUrls: [`${internal.url}/api`] });
  });
  afterAll(async () => {
    await internal.stop();
    await outside.stop();
  });

  it('forwards the token, x-request-id and traceparent to an allowed URL', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await client.fetch(principal, `${internal.url}/api/accounts/1`, {
      requestId: 'req-1',
      traceparent,
      headers: { Authorization: 'Bearer other', 'x-extra': '1' },
      json: { a: 1 },
    });
    expect(await res.json()).toEqual({ ok: true });
    const seen = internal.requests.at(-1)!;
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer header.payload.signature',
      'x-request-id': 'req-1',
      traceparent,
      'x-extra': '1',
    });
    expect(seen.url).toBe('/api/accounts/1');
  });

  it('drops a malformed traceparent or request id instead of forwarding it', async () => {
    await client.fetch(principal, `${internal.url}/api/x`, { requestId: 'a\nb', traceparent: 'junk' });
    expect(internal.requests.at(-1)!.headers['traceparent']).toBeUndefined();
    expect(internal.requests.at(-1)!.headers['x-request-id']).toBeUndefined();
  });

  it.each([
    ['another host', () => `${outside.url}/api/x`],
    ['another port on the same host', () => internal.url.replace(/:(\d+)$/, (_m, p) => `:${Number(p) + 1}`) + '/api/x'],
    ['a sibling path', () => `${internal.url}/apix`],
    ['a path outside the base', () => `${internal.url}/admin`],
    ['dot-dot traversal', () => `${internal.url}/api/../admin`],
    ['encoded traversal', () => `${internal.url}/api/%2e%2e/admin`],
    ['userinfo in the URL', () => internal.url.replace('http://', 'http://user:pw@') + '/api/x'],
    ['a relative URL', () => '/api/x'],
  ])('refuses %s before any network I/O', async (_name, url) => {
    const before = internal.hits + outside.hits;
    expect(await codeOf(client.fetch(principal, url()))).toBe(ErrorCode.FORWARD_TARGET_NOT_ALLOWED);
    expect(internal.hits + outside.hits).toBe(before);
  });

  it('refuses to follow a redirect (the token never reaches the Location)', async () => {
    expect(await codeOf(client.fetch(principal, `${internal.url}/api/redirect`))).toBe(ErrorCode.UPSTREAM_REDIRECT);
    expect(outside.hits).toBe(0);
  });

  it('maps upstream 401 and 403 to typed errors', async () => {
    const e401 = await client.fetch(principal, `${internal.url}/api/401`).catch((e: ForwardingError) => e);
    expect(e401).toMatchObject({ code: ErrorCode.UPSTREAM_UNAUTHORIZED, upstreamStatus: 401, status: 502 });
    expect(await codeOf(client.fetch(principal, `${internal.url}/api/403`))).toBe(ErrorCode.UPSTREAM_FORBIDDEN);
  });

  it('forwards nowhere when INTERNAL_SERVICE_URLS is empty', async () => {
    const none = new ServiceClient({ internalServiceUrls: [] });
    expect(await codeOf(none.fetch(principal, `${internal.url}/api/x`))).toBe(ErrorCode.FORWARD_TARGET_NOT_ALLOWED);
  });
});
