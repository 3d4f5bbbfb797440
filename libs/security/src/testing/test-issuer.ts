import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { generateTestKey, publicJwk, signCompact, signHmac, type TestAlgorithm, type TestKey } from './test-keys';

export interface MintOptions {
  alg?: TestAlgorithm;
  /** Sign with this key instead of the current one for `alg` (e.g. an attacker's key). */
  key?: TestKey;
  /** Merged over the default header; `undefined` values remove a member (e.g. `{ kid: undefined }`). */
  header?: Record<string, unknown>;
  expiresInSeconds?: number;
}

/**
 * A tiny authorization server for tests: RSA/EC/Ed25519 keys, a JWKS on 127.0.0.1 (port 0) that counts
 * its fetches and can be switched off, key rotation, and minting of valid AND hostile tokens.
 * Use from any app's tests: `import { TestIssuer } from '@zt/security/testing'`.
 */
export class TestIssuer {
  jwksFetchCount = 0;
  /** false: the JWKS endpoint answers 503 (AS outage). */
  available = true;
  readonly published: TestKey[] = [];
  private readonly current = new Map<TestAlgorithm, TestKey>();

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async start(options: { audience?: string; algorithms?: TestAlgorithm[] } = {}): Promise<TestIssuer> {
    // Requests arrive only after listen() resolved, by which time `issuer` is set.
    const server = createServer((req, res) => issuer.handle(req.url ?? '', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new TestIssuer(server, `http://127.0.0.1:${port}`, options.audience ?? 'https://api.bank.test');
    for (const alg of options.algorithms ?? ['RS256', 'ES256']) issuer.rotate(alg);
    return issuer;
  }

  get jwksUri(): string {
    return `${this.issuer}/jwks`;
  }

  /** The contract's variables pointing at this issuer. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { OAUTH_ISSUER: this.issuer, OAUTH_JWKS_URI: this.jwksUri, OAUTH_AUDIENCE: this.audience, ...extra };
  }

  /** Publishes a new key and signs with it from now on; old keys stay published unless retired. */
  rotate(alg: TestAlgorithm = 'RS256'): TestKey {
    const key = generateTestKey(alg);
    this.published.push(key);
    this.current.set(alg, key);
    return key;
  }

  retire(kid: string): void {
    const index = this.published.findIndex((k) => k.kid === kid);
    if (index >= 0) this.published.splice(index, 1);
  }

  currentKey(alg: TestAlgorithm = 'RS256'): TestKey {
    const key = this.current.get(alg);
    if (!key) throw new Error(`TestIssuer has no ${alg} key; call rotate('${alg}')`);
    return key;
  }

  claims(overrides: Record<string, unknown> = {}, expiresInSeconds = 300): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: this.issuer,
      aud: this.audience,
      sub: 'user-alice',
      client_id: 'test-client',
      scope: 'accounts:read',
      jti: randomUUID(),
      iat: now,
      exp: now + expiresInSeconds,
    };
    return withoutUndefined({ ...base, ...overrides });
  }

  /** A valid RFC 9068 access token unless the overrides say otherwise. */
  token(claims: Record<string, unknown> = {}, options: MintOptions = {}): string {
    const key = options.key ?? this.currentKey(options.alg ?? 'RS256');
    const alg = options.alg ?? key.alg;
    const header = withoutUndefined({ alg, typ: 'at+jwt', kid: key.kid, ...options.header });
    return signCompact(header, this.claims(claims, options.expiresInSeconds), key, alg);
  }

  // ----- hostile tokens (RFC 8725 §2) -----

  /** `alg: none` in the given casing, empty or junk signature. */
  unsignedToken(algValue = 'none', claims: Record<string, unknown> = {}, signature = ''): string {
    const input = `${b64(withoutUndefined({ alg: algValue, typ: 'at+jwt', kid: this.currentKey().kid }))}.${b64(this.claims(claims))}`;
    return `${input}.${signature}`;
  }

  /** HS256 keyed with our own RSA public key (PEM), the kid pointing at that RSA key. */
  hmacWithPublicKeyToken(claims: Record<string, unknown> = {}, alg = 'HS256'): string {
    const rsa = this.currentKey('RS256');
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    return signHmac({ alg, typ: 'at+jwt', kid: rsa.kid }, this.claims(claims), pem, alg);
  }

  /** Signed by an attacker key that is embedded in the header as `jwk` (and optionally `x5c`). */
  embeddedJwkToken(attacker = generateTestKey('RS256'), claims: Record<string, unknown> = {}): string {
    return this.token(claims, { key: attacker, header: { jwk: publicJwk(attacker) } });
  }

  /** Signed by an attacker key published at a URL the attacker controls, referenced by `jku`/`x5u`. */
  remoteKeyToken(
    url: string,
    attacker: TestKey,
    member: 'jku' | 'x5u' = 'jku',
    claims: Record<string, unknown> = {},
  ): string {
    return this.token(claims, { key: attacker, header: { [member]: url } });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(url: string, res: import('node:http').ServerResponse): void {
    if (url === '/jwks') {
      this.jwksFetchCount++;
      if (!this.available) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      return void res.end(JSON.stringify({ keys: this.published.map(publicJwk) }));
    }
    if (url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: this.jwksUri }));
    }
    res.writeHead(404).end();
  }
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
