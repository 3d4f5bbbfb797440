import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AuthorizationServerBackChannel } from './back-channel';

const PUBLIC_ISSUER = 'http://localhost:4000';

/** A discovery document served over real HTTP, built per request like the servers it stands for. */
async function startDiscovery(document: (requestBase: string) => Record<string, unknown>) {
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(document(`http://${req.headers.host}`)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

const channelTo = (baseUrl: string) =>
  new AuthorizationServerBackChannel(baseUrl, 2000, { clientId: 'gateway', clientSecret: 's' });

describe('AuthorizationServerBackChannel endpoints when the gateway reaches the server by another URL than browsers', () => {
  it('sends browsers to the issuer when discovery names the URL the gateway used (oidc-provider builds URLs from the request host)', async () => {
    const as = await startDiscovery((base) => ({
      issuer: PUBLIC_ISSUER,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      introspection_endpoint: `${base}/token/introspection`,
    }));
    try {
      const channel = channelTo(as.url);
      expect(await channel.endpoint('authorization_endpoint')).toBe(`${PUBLIC_ISSUER}/auth`);
      expect(await channel.endpoint('token_endpoint')).toBe(`${as.url}/token`);
      expect(await channel.endpoint('introspection_endpoint')).toBe(`${as.url}/token/introspection`);
    } finally {
      await as.stop();
    }
  });

  it('calls the server at its own URL when discovery names only the public issuer', async () => {
    const as = await startDiscovery(() => ({
      issuer: PUBLIC_ISSUER,
      authorization_endpoint: `${PUBLIC_ISSUER}/auth`,
      token_endpoint: `${PUBLIC_ISSUER}/token`,
      revocation_endpoint: `${PUBLIC_ISSUER}/token/revocation`,
    }));
    try {
      const channel = channelTo(as.url);
      expect(await channel.endpoint('token_endpoint')).toBe(`${as.url}/token`);
      expect(await channel.endpoint('revocation_endpoint')).toBe(`${as.url}/token/revocation`);
      expect(await channel.endpoint('authorization_endpoint')).toBe(`${PUBLIC_ISSUER}/auth`);
    } finally {
      await as.stop();
    }
  });

  it('leaves endpoints alone when both views are the same URL, or when an endpoint is not under the other view', async () => {
    const same = await startDiscovery((base) => ({
      issuer: base,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: 'https://tokens.bank.example/token',
    }));
    const realm = await startDiscovery(() => ({
      issuer: `${PUBLIC_ISSUER}/realms/a`,
      token_endpoint: `${PUBLIC_ISSUER}/realms/ab/token`,
    }));
    try {
      expect(await channelTo(same.url).endpoint('authorization_endpoint')).toBe(`${same.url}/auth`);
      expect(await channelTo(same.url).endpoint('token_endpoint')).toBe('https://tokens.bank.example/token');
      expect(await channelTo(`${realm.url}/realms/a`).endpoint('token_endpoint')).toBe(
        `${PUBLIC_ISSUER}/realms/ab/token`,
      );
    } finally {
      await same.stop();
      await realm.stop();
    }
  });
});
