import { decodeJwt } from 'jose';
import { authorize } from '../testing/authorize';
import { BANK_CLI_REDIRECT, clientFor, introspect, postForm } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';

describe('transaction tokens: RFC 9396 payment_approval', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startAuthorizationServer({ database: 'zt_test_as_transaction' });
  });
  afterAll(() => server?.close());

  const approve = async (transactionId: string, scope = 'payments:approve', onConsent?: (page: string) => void) =>
    authorize(await clientFor(server.issuer, 'bank-cli'), server.issuer, {
      redirectUri: BANK_CLI_REDIRECT,
      scope,
      username: 'alice',
      password: 'alice-password',
      authorizationDetails: [{ type: 'payment_approval', transaction_id: transactionId }],
      onConsent,
    });

  it('shows the payment on the consent page and issues a 5-minute token for that payment only', async () => {
    let consent = '';
    const { tokens } = await approve('pay_123', 'payments:approve payments:read', (page) => (consent = page));
    expect(consent).toContain('Approve payment <strong id="transaction-id">pay_123</strong>');
    expect(tokens.scope).toBe('payments:approve');
    expect(tokens.expires_in).toBeLessThanOrEqual(300);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.authorization_details).toEqual([{ type: 'payment_approval', transaction_id: 'pay_123' }]);

    const jwt = (await introspect(server.issuer, tokens.access_token, { jwt: true })).text;
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      sub: 'usr_alice',
      scope: 'payments:approve',
      transaction_id: 'pay_123',
      aud: ['accounts-api', 'payments-api'],
      region: 'eu',
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);
  });

  it('never carries an earlier approval into the next transaction token', async () => {
    await approve('pay_first');
    const { tokens } = await approve('pay_second');
    expect(decodeJwt((await introspect(server.issuer, tokens.access_token, { jwt: true })).text).transaction_id).toBe(
      'pay_second',
    );
  });

  describe('exchanged by payments for the approved event (RFC 8693)', () => {
    const exchange = async (extra: Record<string, string>) => {
      const { tokens } = await approve('pay_exchange');
      const subject = (await introspect(server.issuer, tokens.access_token, { jwt: true })).text;
      return postForm(
        `${server.issuer}/token`,
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: subject,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          scope: 'payments:approve',
          audience: 'accounts-api',
          ...extra,
        },
        'payments-service',
      );
    };

    it('lives the event-token lifetime when bound to one event, narrowed to accounts-api', async () => {
      const res = await exchange({
        event_id: 'evt_pay_exchange',
        event_digest: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
      });
      expect(res.status).toBe(200);
      expect(res.json.expires_in).toBe(3600);
      expect(decodeJwt(res.json.access_token as string)).toMatchObject({
        aud: ['accounts-api'],
        transaction_id: 'pay_exchange',
        event_id: 'evt_pay_exchange',
      });
    });

    it('never outlives a transaction token when not bound to an event', async () => {
      const res = await exchange({});
      expect(res.status).toBe(200);
      expect(res.json.expires_in).toBeLessThanOrEqual(300);
    });
  });

  it('never puts payments:approve in an ordinary token', async () => {
    const { tokens } = await authorize(await clientFor(server.issuer, 'bank-cli'), server.issuer, {
      redirectUri: BANK_CLI_REDIRECT,
      scope: 'payments:read payments:approve',
      username: 'alice',
      password: 'alice-password',
    });
    expect(tokens.scope).toBe('payments:read');
  });

  it.each([
    [[{ type: 'payment_approval' }]],
    [[{ type: 'payment_approval', transaction_id: 'bad id!' }]],
    [
      [
        { type: 'payment_approval', transaction_id: 'p1' },
        { type: 'payment_approval', transaction_id: 'p2' },
      ],
    ],
    [[{ type: 'payment_approval', transaction_id: 'p1', amount: '1000000' }]],
    [[{ type: 'wire_transfer', transaction_id: 'p1' }]],
  ])('answers invalid_authorization_details for %j', async (details) => {
    const config = await clientFor(server.issuer, 'bank-cli');
    const url = new URL(`${server.issuer}/auth`);
    const params = {
      client_id: 'bank-cli',
      response_type: 'code',
      redirect_uri: BANK_CLI_REDIRECT,
      scope: 'payments:approve',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      authorization_details: JSON.stringify(details),
    };
    url.search = new URLSearchParams(params).toString();
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_authorization_details');
    expect(config.clientMetadata().client_id).toBe('bank-cli');
  });
});
