import { generateKeyPairSync } from 'node:crypto';
import { SpyServer } from '../testing/spy-server';
import { generateTestKey, publicJwk } from '../testing/test-keys';
import { JwksKeyStore } from './jwks-key-store';

/** Which JWKS entries become verification keys, and how bad JWKS documents are survived. */
describe('JwksKeyStore: key filtering and hostile JWKS documents', () => {
  let body = '';
  let status = 200;
  let spy: SpyServer;
  const warnings: string[] = [];
  const store = (extra: Partial<ConstructorParameters<typeof JwksKeyStore>[0]> = {}) =>
    new JwksKeyStore({
      jwksUri: `${spy.url}/jwks`,
      minRefreshIntervalMs: 0,
      maxAgeMs: 60_000,
      timeoutMs: 2000,
      logger: { warn: (m) => warnings.push(m) },
      ...extra,
    });
  const serve = (keys: unknown) => (body = JSON.stringify({ keys }));

  beforeAll(async () => (spy = await SpyServer.start((_u, res) => res.writeHead(status).end(body))));
  afterAll(() => spy.stop());
  beforeEach(() => ((status = 200), (warnings.length = 0)));

  it('keeps only public signature keys, by kid', async () => {
    const rsa = publicJwk(generateTestKey('RS256', 'rsa'));
    const ec = publicJwk(generateTestKey('ES256', 'ec'));
    const ed = publicJwk(generateTestKey('EdDSA', 'ed'));
    const secret = { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' };
    const enc = { ...publicJwk(generateTestKey('RS256')), kid: 'enc', use: 'enc' };
    const wrapOnly = { ...publicJwk(generateTestKey('RS256')), kid: 'wrap', key_ops: ['wrapKey'] };
    const verifyOps = { ...publicJwk(generateTestKey('RS256')), kid: 'ops', key_ops: ['verify'] };
    const broken = { kty: 'EC', kid: 'broken', crv: 'P-256', x: 'AA', y: 'AA' };
    serve([rsa, ec, ed, secret, enc, wrapOnly, verifyOps, broken, null, 'text']);
    const keys = store();
    expect(await keys.warm()).toBe(true);
    for (const kid of ['rsa', 'ec', 'ed', 'ops']) expect(await keys.get(kid)).toMatchObject({ status: 'found' });
    for (const kid of ['hmac', 'enc', 'wrap', 'broken']) expect(await keys.get(kid)).toEqual({ status: 'unknown' });
    expect(await keys.get('rsa')).toMatchObject({ key: { kid: 'rsa', alg: 'RS256' } });
  });

  it('never turns a published private key into anything but its public half', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    serve([{ ...privateKey.export({ format: 'jwk' }), kid: 'leaked' }]);
    const found = (await store().get('leaked')) as { key: { key: { type: string } } };
    expect(found.key.key.type).toBe('public');
  });

  it('records a key without kid or alg as such', async () => {
    const { kid: _k, alg: _a, ...bare } = publicJwk(generateTestKey('ES256')) as Record<string, unknown>;
    serve([bare]);
    expect(await store().get(undefined)).toMatchObject({ status: 'found', key: { kid: undefined, alg: undefined } });
  });

  it.each([
    ['HTTP 500', () => ((status = 500), (body = '{}')), 'HTTP 500'],
    ['not JSON', () => (body = '<html>'), 'JSON'],
    ['no keys array', () => (body = '{"keys":{}}'), 'no "keys" array'],
    ['oversized document', () => (body = JSON.stringify({ keys: [], pad: 'x'.repeat(600 * 1024) })), 'too large'],
  ])('survives a JWKS with %s: warns, keeps cached keys, reports unavailable', async (_name, breakIt, warning) => {
    serve([publicJwk(generateTestKey('RS256', 'kept'))]);
    const keys = store();
    await keys.warm();
    const version = keys.version;
    breakIt();
    expect(await keys.warm()).toBe(false);
    expect(warnings.at(-1)).toContain(warning);
    expect(warnings.at(-1)).toContain('keeping 1 cached key(s)');
    expect(await keys.get('kept')).toMatchObject({ status: 'found' });
    expect(await keys.get('other')).toEqual({ status: 'unavailable' });
    expect(keys.version).toBe(version);
  });

  it('bumps the version only when the key set really changes', async () => {
    const a = publicJwk(generateTestKey('RS256', 'a'));
    serve([a]);
    const keys = store();
    await keys.warm();
    expect(keys.version).toBe(1);
    await keys.warm();
    expect(keys.version).toBe(1);
    serve([a, publicJwk(generateTestKey('RS256', 'b'))]);
    await keys.warm();
    expect(keys.version).toBe(2);
    expect(keys.fetchCount).toBe(3);
  });

  it('honours a custom size limit and refreshes in the background only after max age', async () => {
    serve([publicJwk(generateTestKey('RS256', 'k'))]);
    expect(await store({ maxBytes: 10 }).warm()).toBe(false);
    await expectSecondFetchAfter(1000, 'k', { maxAgeMs: 1000, minRefreshIntervalMs: 0 });
  });

  it('rate-limits unknown-kid refetches by its own clock', async () => {
    serve([]);
    await expectSecondFetchAfter(1000, 'x', { minRefreshIntervalMs: 1000 }, { askBeforeWaiting: true });
  });

  /**
   * On the store's own clock: a look-up of `kid` 1 ms before `ms` have passed since warm-up makes no
   * fetch, one at exactly `ms` makes the second. `askBeforeWaiting`: the kid is also asked for at once.
   */
  async function expectSecondFetchAfter(
    ms: number,
    kid: string,
    options: Parameters<typeof store>[0],
    { askBeforeWaiting = false } = {},
  ) {
    let now = 1_000_000;
    const keys = store({ ...options, now: () => now });
    await keys.warm();
    if (askBeforeWaiting) await keys.get(kid);
    now += ms - 1;
    await keys.get(kid);
    expect(keys.fetchCount).toBe(1);
    now += 1;
    await keys.get(kid);
    expect(keys.fetchCount).toBe(2);
  }
});
