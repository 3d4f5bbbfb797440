import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import * as oauth from 'openid-client';
import { findClientDeclaration } from '../clients/clients';
import { authorize } from '../testing/authorize';
import { BANK_CLI_REDIRECT, clientFor, devToken, introspect, postForm } from '../testing/oauth-clients';
import { RunningServer, startAuthorizationServer } from '../testing/start-authorization-server';
import type { AccessTokenClaims } from '../tokens/access-token-jwt';
import { assertEventAnswer } from './event-answer.policy';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const digestOf = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * A settlement result's token (`payments:settle`, audience `payments-api`) exists only as accounts'
 * answer to the `payments.approved` event token it received (clients.ts `eventAnswers`): same user
 * and payment, its own event binding, `act` naming accounts. No other way, and no other client, gets it.
 */
describe('token exchange: the token of an answer to an event (settlement results)', () => {
  let server: RunningServer;
  let transactionToken: string;
  let approvedToken: string;
  let approvedEventId: string;

  const exchange = (clientId: string, params: Record<string, string | string[]>) =>
    postForm(`${server.issuer}/token`, { grant_type: EXCHANGE, subject_token_type: ACCESS_TOKEN, ...params }, clientId);
  const answer = (extra: Record<string, string | string[]> = {}, clientId = 'accounts-service') =>
    exchange(clientId, {
      subject_token: approvedToken,
      scope: 'payments:settle',
      audience: 'payments-api',
      event_id: 'evt_result_1',
      event_digest: digestOf('{"outcome":"settled"}'),
      ...extra,
    });

  beforeAll(async () => {
    server = await startAuthorizationServer({
      database: 'zt_test_as_event_answer',
      env: { OAUTH_EVENT_TOKEN_TTL_SECONDS: '3600' },
    });
    // What payments does on approval: the owner's transaction token, exchanged for the event token.
    const { tokens } = await authorize(await clientFor(server.issuer, 'bank-cli'), server.issuer, {
      redirectUri: BANK_CLI_REDIRECT,
      scope: 'payments:approve',
      username: 'alice',
      password: 'alice-password',
      authorizationDetails: [{ type: 'payment_approval', transaction_id: 'pay_answer' }],
    });
    transactionToken = (await introspect(server.issuer, tokens.access_token, { jwt: true })).text;
    approvedEventId = randomUUID();
    const res = await exchange('payments-service', {
      subject_token: transactionToken,
      scope: 'payments:approve',
      audience: 'accounts-api',
      event_id: approvedEventId,
      event_digest: digestOf('{"approved":1}'),
    });
    expect(res.status).toBe(200);
    approvedToken = res.json.access_token as string;
  });
  afterAll(() => server?.close());

  it("gives accounts a token bound to the result event, the approval's user and payment, acting as accounts", async () => {
    const res = await answer();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ scope: 'payments:settle', expires_in: 3600 });
    const claims = decodeJwt(res.json.access_token as string);
    expect(claims).toMatchObject({
      sub: 'usr_alice',
      region: 'eu',
      aud: ['payments-api'],
      scope: 'payments:settle',
      client_id: 'accounts-service',
      transaction_id: 'pay_answer',
      event_id: 'evt_result_1',
      event_digest: digestOf('{"outcome":"settled"}'),
      act: { sub: 'accounts-service', act: { sub: 'payments-service' } },
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it.each([
    ['without an event binding', { event_id: [], event_digest: [] }, 'invalid_request'],
    ['bound to the approved event itself', { event_id: '<approved>' }, 'invalid_request'],
    ['with another scope beside it', { scope: 'payments:settle payments:approve' }, 'invalid_scope'],
    ['without an audience', { audience: [] }, 'invalid_target'],
    ['for another audience', { audience: 'accounts-api' }, 'invalid_target'],
    ['for two audiences', { audience: ['payments-api', 'accounts-api'] }, 'invalid_target'],
  ])('refuses an answer %s (%s)', async (_case, params, error) => {
    // An empty list leaves the parameter out of the form.
    const form = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, v === '<approved>' ? approvedEventId : v]),
    );
    const res = await answer(form as Record<string, string | string[]>);
    expect(res.json.error).toBe(error);
    expect(res.status).toBe(400);
  });

  it('refuses a subject that is not an approved event token published by payments', async () => {
    const userToken = (
      await introspect(server.issuer, await devToken(server.issuer, 'alice', 'accounts:read payments:read'), {
        jwt: true,
      })
    ).text;
    // accounts' own re-exchange of the event token: the publisher is no longer payments.
    const reminted = await exchange('accounts-service', { subject_token: approvedToken });
    // payments' exchange of the transaction token that is bound to no event (no approval was published).
    const unbound = await exchange('payments-service', {
      subject_token: transactionToken,
      scope: 'payments:approve',
      audience: 'accounts-api',
    });
    expect([reminted.status, unbound.status]).toEqual([200, 200]);
    for (const subject of [userToken, reminted.json.access_token as string, unbound.json.access_token as string]) {
      const res = await answer({ subject_token: subject });
      expect(res.json.error).toBe('invalid_grant');
    }
  });

  it('gives payments:settle to no other client, and never through client credentials', async () => {
    for (const clientId of ['payments-service', 'users-service']) {
      expect((await answer({}, clientId)).json.error).toBe('invalid_grant');
    }
    const config = await clientFor(server.issuer, 'accounts-service');
    const tokens = await oauth
      .clientCredentialsGrant(config, { scope: 'payments:settle users:read' })
      .catch((error: Error) => error);
    expect(tokens instanceof Error ? tokens.message : String(tokens.scope)).not.toMatch(/payments:settle/);
  });
});

describe('assertEventAnswer: what makes a subject token answerable', () => {
  const rule = findClientDeclaration('accounts-service')!.eventAnswers![0]!;
  const approved: AccessTokenClaims = {
    iss: 'https://as',
    sub: 'usr_alice',
    aud: ['accounts-api'],
    iat: 0,
    exp: 1,
    jti: 'j',
    client_id: 'payments-service',
    scope: 'payments:approve',
    transaction_id: 'pay_1',
    event_id: 'evt_approved',
    event_digest: digestOf('a'),
    act: { sub: 'payments-service' },
  };
  const request = {
    scopes: ['payments:settle'],
    audience: 'payments-api',
    eventId: 'evt_result',
    eventDigest: digestOf('r'),
  };
  const errorOf = (subject: AccessTokenClaims) => {
    try {
      assertEventAnswer(rule, subject, request);
      return 'OK';
    } catch (error) {
      return (error as { error?: string }).error;
    }
  };

  it('accepts the approved event token published by payments', () => {
    expect(errorOf(approved)).toBe('OK');
  });

  it.each([
    ['without payments:approve', { scope: 'payments:read' }],
    ['for another audience', { aud: ['payments-api'] }],
    ['published by another service', { act: { sub: 'users-service' } }],
    ['with no actor', { act: undefined }],
    ['bound to no event', { event_id: undefined, event_digest: undefined }],
    ['naming an event without its digest', { event_digest: undefined }],
    ['naming a digest without its event', { event_id: undefined }],
    ['naming no payment', { transaction_id: undefined }],
  ])('refuses a subject %s (invalid_grant)', (_case, change) => {
    expect(errorOf({ ...approved, ...change } as AccessTokenClaims)).toBe('invalid_grant');
  });
});
