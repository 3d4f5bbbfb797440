import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ServiceTokenClient, TOKEN_EXCHANGE_GRANT } from './service-token.client';

/** A minimal real HTTP authorization server (discovery + token endpoint) that records what it is sent. */
async function startAuthorizationServer(host = '127.0.0.1') {
  const requests: { auth?: string; form: URLSearchParams }[] = [];
  const discoveries: string[] = [];
  let issuer = '';
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.url === '/.well-known/openid-configuration') {
      discoveries.push(req.url);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token`, authorization_endpoint: `${issuer}/auth` }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    requests.push({ auth: req.headers.authorization, form });
    res.setHeader('content-type', 'application/json');
    if (form.get('audience') === 'everything') {
      res.statusCode = 400;
      res.end(
        JSON.stringify({ error: 'invalid_target', error_description: 'requested audience exceeds the subject token' }),
      );
      return;
    }
    res.end(
      JSON.stringify({
        access_token: `issued-${requests.length}`,
        token_type: 'Bearer',
        expires_in: 3600,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    );
  };
  // node:http ignores a handler's promise: a failure must end the connection, not go unhandled.
  const server: Server = createServer((req, res) => {
    answer(req, res).catch((error: Error) => res.destroy(error));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { issuer, requests, discoveries, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('ServiceTokenClient', () => {
  let as: Awaited<ReturnType<typeof startAuthorizationServer>>;
  let client: ServiceTokenClient;

  beforeAll(async () => {
    as = await startAuthorizationServer();
    client = new ServiceTokenClient({ issuer: as.issuer, clientId: 'payments-service', clientSecret: 's3cret' });
  });
  afterAll(() => as.stop());

  it('exchanges a token (RFC 8693) with client authentication and the event binding', async () => {
    const result = await client.exchange({
      subjectToken: 'user.jwt.here',
      audience: 'accounts-api',
      scope: 'payments:approve',
      eventId: 'e-1',
      eventDigest: 'abc',
    });
    expect(result.accessToken).toMatch(/^issued-/);
    const { auth, form } = as.requests.at(-1)!;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded, then base64 encoded.
    const [id, secret] = Buffer.from(auth!.replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':')
      .map(decodeURIComponent);
    expect([id, secret]).toEqual(['payments-service', 's3cret']);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: 'user.jwt.here',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'accounts-api',
      scope: 'payments:approve',
      event_id: 'e-1',
      event_digest: 'abc',
    });
  });

  it('surfaces the authorization server refusing a widening exchange', async () => {
    await expect(client.exchange({ subjectToken: 't', audience: 'everything', scope: 'x' })).rejects.toMatchObject({
      error: 'invalid_target',
    });
  });

  it('caches a client-credentials token per scope', async () => {
    const before = as.requests.length;
    const first = await client.clientCredentials('payments:settle');
    const second = await client.clientCredentials('payments:settle');
    expect(second).toBe(first);
    expect(as.requests.length).toBe(before + 1);
    expect(as.requests.at(-1)!.form.get('grant_type')).toBe('client_credentials');
  });

  it('refuses plain HTTP to an issuer that is not named as loopback (the secret would travel in clear)', async () => {
    const other = await startAuthorizationServer('127.0.0.2');
    try {
      const remote = new ServiceTokenClient({ issuer: other.issuer, clientId: 'c', clientSecret: 's' });
      await expect(remote.clientCredentials('x')).rejects.toThrow(/HTTPS/i);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('sends to OAUTH_TOKEN_ENDPOINT as given, without discovery at the issuer (an issuer browsers see, services may not reach)', async () => {
    const internal = await startAuthorizationServer();
    try {
      const split = new ServiceTokenClient({
        issuer: 'https://bank.example',
        tokenEndpoint: `${internal.issuer}/token`,
        clientId: 'accounts-service',
        clientSecret: 's',
      });
      expect(await split.clientCredentials('payments:settle')).toMatch(/^issued-/);
      expect(internal.discoveries).toHaveLength(0);
      expect(internal.requests.at(-1)?.form.get('grant_type')).toBe('client_credentials');
    } finally {
      await internal.stop();
    }
  });

  it('refuses plain HTTP to a token endpoint that is not loopback unless insecure HTTP is allowed (development only)', async () => {
    const other = await startAuthorizationServer('127.0.0.2');
    try {
      const refused = new ServiceTokenClient({
        issuer: 'https://bank.example',
        tokenEndpoint: `${other.issuer}/token`,
        clientId: 'c',
        clientSecret: 's',
      });
      await expect(refused.clientCredentials('x')).rejects.toThrow(/HTTPS/i);
      expect(other.requests).toHaveLength(0);
      const allowed = new ServiceTokenClient({
        issuer: 'https://bank.example',
        tokenEndpoint: `${other.issuer}/token`,
        clientId: 'c',
        clientSecret: 's',
        allowInsecureHttp: true,
      });
      expect(await allowed.clientCredentials('x')).toMatch(/^issued-/);
    } finally {
      await other.stop();
    }
  });

  it('discovers over plain HTTP from an issuer that is not loopback only when insecure HTTP is allowed', async () => {
    const other = await startAuthorizationServer('127.0.0.2');
    try {
      const allowed = new ServiceTokenClient({
        issuer: other.issuer,
        clientId: 'c',
        clientSecret: 's',
        allowInsecureHttp: true,
      });
      expect(await allowed.clientCredentials('x')).toMatch(/^issued-/);
      expect(other.discoveries).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});
