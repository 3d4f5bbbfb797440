import { createHash } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestIssuer } from '@zt/security/testing';
import { Agent, request } from 'undici';
import { AccessLog } from '../audit/access-log';
import { answerOfSize, type ByteUpstream, type Framing } from '../testing/byte-upstream';
import { gatewayTestBed } from '../testing/gateway-test-bed';
import { READ_WHOLE_BYTES } from './upstream-answer-body';

const KiB = 1024;
const MiB = 1024 * KiB;
/** The test gateway's GATEWAY_MAX_RESPONSE_BYTES: odd on purpose, so "exactly" means exactly. */
const MAX = 3 * MiB + 7;

/**
 * The gateway never loses or truncates an answer (an earlier forwarder sent every answer over
 * 64 KiB to the client as `content-length: 0` and no body). Real gateways on 127.0.0.1 in front of
 * an upstream whose answers have exact sizes and framings, read by a real HTTP client.
 */
describe('upstream answers of any size', () => {
  const bed = gatewayTestBed();
  const client: Agent = bed.stopAfterAll(new Agent({ connections: 4 }), () => client.close());
  let issuer: TestIssuer;
  let upstream: ByteUpstream;
  let gateway: { app: NestFastifyApplication; url: string };
  /** The same, with a maximum below what is read whole before any header is sent. */
  let smallMaxGateway: { app: NestFastifyApplication; url: string };
  const SMALL_MAX = 32 * KiB;
  const audit: string[] = [];

  beforeAll(async () => {
    issuer = await bed.issuer('users-api');
    upstream = await bed.byteUpstream();
    const env = {
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      USERS_API_URL: upstream.url,
      GATEWAY_AUTHORIZATION_SERVER_URL: upstream.url,
    };
    // A long upstream timeout: a test that waits for the gateway to let go of an upstream must not
    // be rescued by the timeout.
    gateway = await bed.listeningGateway({
      ...env,
      GATEWAY_MAX_RESPONSE_BYTES: String(MAX),
      GATEWAY_UPSTREAM_TIMEOUT_MS: '120000',
    });
    smallMaxGateway = await bed.listeningGateway({ ...env, GATEWAY_MAX_RESPONSE_BYTES: String(SMALL_MAX) });
    gateway.app.get(AccessLog).useDestination({ write: (line: string) => audit.push(line) });
  });

  const auth = (scope = 'users:read users:write') => ({
    authorization: `Bearer ${issuer.token({ sub: 'usr_big', scope })}`,
  });

  async function get(base: string, path: string, headers: Record<string, string> = auth()) {
    const res = await request(`${base}${path}`, { dispatcher: client, headers });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /** Length and digest: a mismatch reads as one line, not a 3 MiB diff. */
  const digest = (bytes: Buffer) => ({
    length: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });

  /** The audit reason of the one request through `gateway` since the last call. */
  async function auditedReason(): Promise<string> {
    // The line is written once the answer is over, which can be a moment after the client has it.
    for (let wait = 0; audit.length === 0 && wait < 40; wait++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(audit).toHaveLength(1);
    return JSON.parse(audit.splice(0)[0]!).reason; // one line: asserted just above
  }

  const sizes: Array<[string, number]> = [
    ['63 KiB', 63 * KiB],
    ['64 KiB', 64 * KiB],
    ['65 KiB', 65 * KiB],
    ['1 MiB', MiB],
    ['the maximum', MAX],
  ];
  const cases = sizes.flatMap(([name, bytes]) =>
    ([400, 200] as const).flatMap((status) =>
      (['content-length', 'chunked'] as Framing[]).map((framing) => ({ name, bytes, status, framing })),
    ),
  );

  it.each(cases)(
    'passes an answer of $name whole ($status, $framing from the upstream)',
    async ({ bytes, status, framing }) => {
      const res = await get(gateway.url, `/api/users/sized/${status}/${bytes}/${framing}`);
      const body = Buffer.from(await res.body.arrayBuffer());
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe(status >= 400 ? 'application/problem+json' : 'application/json');
      expect(digest(body)).toEqual(digest(answerOfSize(status, bytes)));
      if (framing === 'content-length') expect(res.headers['content-length']).toBe(String(bytes));
      // An unsized answer is read whole when small (then sized for the client), streamed when not.
      else if (bytes <= READ_WHOLE_BYTES) expect(res.headers['content-length']).toBe(String(bytes));
      else expect(res.headers['transfer-encoding']).toBe('chunked');
    },
  );

  beforeEach(() => audit.splice(0));

  it('refuses an announced answer of the maximum + 1 byte with a 502 problem, before sending any of it', async () => {
    const res = await get(gateway.url, `/api/users/sized/200/${MAX + 1}/content-length`);
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await res.body.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: 'The service answered more than the gateway passes on',
    });
    expect(await auditedReason()).toBe('UPSTREAM_ANSWER_TOO_LARGE');
  });

  it('refuses an unsized answer over the maximum with a 502 problem while none of it is sent yet', async () => {
    for (const framing of ['chunked', 'content-length'] as Framing[]) {
      const res = await get(smallMaxGateway.url, `/api/users/sized/400/${SMALL_MAX + 1}/${framing}`);
      expect(res.status).toBe(502);
      expect(await res.body.json()).toMatchObject({
        status: 502,
        detail: 'The service answered more than the gateway passes on',
      });
    }
    const whole = await get(smallMaxGateway.url, `/api/users/sized/400/${SMALL_MAX}/chunked`);
    expect(digest(Buffer.from(await whole.body.arrayBuffer()))).toEqual(digest(answerOfSize(400, SMALL_MAX)));
  });

  it('answers HEAD with the announced size and no body, whatever the size', async () => {
    const res = await request(`${smallMaxGateway.url}/api/users/sized/200/${SMALL_MAX + 1}/content-length`, {
      dispatcher: client,
      method: 'HEAD',
      headers: auth(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(SMALL_MAX + 1));
    expect((await res.body.arrayBuffer()).byteLength).toBe(0);
  });

  it('aborts an unsized answer that grows over the maximum once streaming: a broken transfer, never a complete answer', async () => {
    const res = await get(gateway.url, `/api/users/sized/200/${MAX + 1}/chunked`);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBeUndefined();
    await expect(res.body.arrayBuffer()).rejects.toThrow();
    // Audited although Fastify runs no onResponse hook for an answer that never finished.
    expect(await auditedReason()).toBe('UPSTREAM_ANSWER_TOO_LARGE');
  });

  it('passes an upstream cut off in the middle of a large answer on as a broken transfer, never a shorter complete one', async () => {
    const res = await get(gateway.url, `/api/users/cut-off/${200 * KiB}/${100 * KiB}`);
    expect(res.headers['content-length']).toBe(String(200 * KiB));
    await expect(res.body.arrayBuffer()).rejects.toThrow();
    expect(await auditedReason()).toBe('UPSTREAM_BODY_FAILED');
  });

  it('lets go of the upstream as soon as the client goes away in the middle of a streamed answer', async () => {
    const closed = upstream.nextStallClosed();
    const res = await get(gateway.url, `/api/users/stall/${100 * KiB}`);
    expect(res.status).toBe(200);
    for await (const chunk of res.body) if (chunk.length) break;
    res.body.destroy();
    await closed;
    expect(await auditedReason()).toBe('ANSWER_NOT_FINISHED');
  });

  it('refuses a large body of a type it does not parse with 415, and the same keep-alive connection answers the next request', async () => {
    // One connection, so the second request must travel behind the refused body's unread bytes;
    // 4 MiB is more than loopback's socket buffers hold, so the body must really be read or dropped.
    const single = new Agent({ connections: 1, pipelining: 1 });
    try {
      const refused = await request(`${gateway.url}/api/users/me`, {
        dispatcher: single,
        method: 'PATCH',
        headers: { ...auth(), 'content-type': 'multipart/form-data; boundary=x' },
        body: Buffer.alloc(4 * MiB, 'a'),
      });
      expect(refused.statusCode).toBe(415);
      await refused.body.arrayBuffer();
      const next = await request(`${gateway.url}/api/users/sized/200/100/content-length`, {
        dispatcher: single,
        headers: auth(),
        headersTimeout: 5000,
        bodyTimeout: 5000,
      });
      expect(next.statusCode).toBe(200);
      expect((await next.body.arrayBuffer()).byteLength).toBe(100);
    } finally {
      await single.close();
    }
  });

  it('passes a validation problem listing hundreds of unknown fields whole (the answer once cut off)', async () => {
    // The answer once cut off named 2,100 short unknown fields; fewer long ones make it as big here,
    // because the gateway's JSON shape limits may refuse a body of 2,100 members before forwarding it.
    const fields = Object.fromEntries(
      Array.from({ length: 900 }, (_, i) => [`unknown_field_${String(i).padStart(4, '0')}_${'x'.repeat(40)}`, i]),
    );
    const res = await request(`${gateway.url}/api/users/me/unknown-fields`, {
      dispatcher: client,
      method: 'PATCH',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    const text = await res.body.text();
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(64 * KiB);
    expect(Buffer.byteLength(text)).toBe(Number(res.headers['content-length']));
    expect(JSON.parse(text).errors).toHaveLength(900);
  });

  it('passes a large page of the authorization server whole', async () => {
    const res = await get(gateway.url, `/interaction/abc/sized/200/${MiB}/chunked`, {});
    expect(res.status).toBe(200);
    expect(digest(Buffer.from(await res.body.arrayBuffer()))).toEqual(digest(answerOfSize(200, MiB)));
  });
});

/** Issue 18, defect 2 (the gateway's half): a body goes upstream as the client's bytes, never re-encoded. */
describe('request bodies', () => {
  const bed = gatewayTestBed();
  let issuer: TestIssuer;
  let upstream: ByteUpstream;
  let gateway: NestFastifyApplication;

  beforeAll(async () => {
    issuer = await bed.issuer('users-api');
    upstream = await bed.byteUpstream();
    gateway = await bed.gateway({
      OAUTH_ISSUER: issuer.issuer,
      OAUTH_JWKS_URI: issuer.jwksUri,
      GATEWAY_ACCEPT_CLIENT_JWTS: 'true',
      USERS_API_URL: upstream.url,
      GATEWAY_AUTHORIZATION_SERVER_URL: upstream.url,
    });
  });

  const patch = (payload: string) =>
    gateway.inject({
      method: 'PATCH',
      url: '/api/users/me/raw-echo',
      payload,
      headers: {
        authorization: `Bearer ${issuer.token({ scope: 'users:write' })}`,
        'content-type': 'application/json',
      },
    });

  it('forwards the exact bytes the client sent (number formats, spacing, escapes, repeated names)', async () => {
    const sent = '{ "amount" : 10.50, "big": 1e2, "name": "\\u00e9t\\u00e9", "name": "b",\n "list": [ 1 , 2 ] }';
    const res = await patch(sent);
    expect(res.statusCode).toBe(200);
    expect(upstream.bodies.at(-1)?.toString('utf8')).toBe(sent);
    expect(res.body).toBe(sent);
  });

  it('forwards a nested body byte for byte (re-encoding it recursed: RangeError, a 500, from ~5,000 levels)', async () => {
    // Deeper bodies are refused at the door by the JSON shape limits; within them, nothing is re-encoded.
    const depth = 30;
    const sent = '{ "a" :'.repeat(depth) + ' [1.0, 2E3] ' + '}'.repeat(depth);
    const res = await patch(sent);
    expect(res.statusCode).toBe(200);
    expect(upstream.bodies.at(-1)?.toString('utf8')).toBe(sent);
  });

  it('re-encodes nothing for the authorization server: a JSON body there is refused, forms still pass', async () => {
    const json = await gateway.inject({
      method: 'POST',
      url: '/token/revocation',
      payload: '{"token":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
    const form = await gateway.inject({
      method: 'POST',
      url: '/token/revocation',
      payload: 'token=x&token_type_hint=access_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(404);
    expect(upstream.bodies.at(-1)?.toString('utf8')).toBe('token=x&token_type_hint=access_token');
  });
});
