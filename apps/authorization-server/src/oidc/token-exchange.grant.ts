import { randomUUID } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import {
  callerIdentityOf,
  createAccessTokenVerifier,
  type AccessTokenVerifier,
  type CallerIdentity,
  type JwsAlgorithm,
} from '@zt/security';
import { CLIENTS, findClientDeclaration } from '../clients/clients';
import { TRANSACTION_TOKEN_TTL_SECONDS } from '../config/authorization-server-config';
import type { SigningJwk } from '../keys/signing-jwk';
import type { KeySet } from '../keys/signing-keys.service';
import { TRANSACTION_SCOPE, splitScope } from '../scopes/api-scopes';
import { AccessTokenClaims, signAccessToken } from '../tokens/access-token-jwt';
import { assertEventAnswer, eventAnswerRuleFor } from './event-answer.policy';
import { callerForClient } from './peer-certificate';

/**
 * RFC 8693 token exchange for the services: narrower scope and audience, own lifetime, optional event
 * binding; or, where clients.ts declares it (`eventAnswers`), the token of a service's answer to an event.
 */
export const TOKEN_EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'scope',
  'audience',
  'resource',
  'event_id',
  'event_digest',
];
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const EVENT_ID = /^[\x21-\x7e]{1,200}$/;
const DIGEST = /^[A-Za-z0-9_-]{43}$/;

export interface TokenExchangeDeps {
  issuer: string;
  ttlSeconds: number;
  keys: () => KeySet;
}

export function tokenExchangeHandler(deps: TokenExchangeDeps) {
  const subjectVerifier = subjectTokenVerifier(deps);
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    const params = ctx.oidc.params as Record<string, string | string[] | undefined>;
    const one = (name: string) => {
      const value = params[name];
      if (Array.isArray(value)) throw new errors.InvalidRequest(`${name} must not be repeated`);
      return value || undefined;
    };
    if (!one('subject_token')) throw new errors.InvalidRequest('missing required parameter subject_token');
    if (![ACCESS_TOKEN_TYPE, JWT_TYPE].includes(one('subject_token_type') ?? '')) {
      throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
    }
    if (one('actor_token') || one('actor_token_type'))
      throw new errors.InvalidRequest('actor tokens are not supported');
    const requestedType = one('requested_token_type');
    if (requestedType && requestedType !== ACCESS_TOKEN_TYPE)
      throw new errors.InvalidRequest('only access tokens can be requested');
    if (params.resource !== undefined) throw new errors.InvalidTarget('use audience (API names) instead of resource');

    // The connection's verified client certificate (none without TLS): a certificate-bound subject
    // token is exchanged only by the workload it is bound to (RFC 8705, checked by the verifier).
    const caller = callerIdentityOf(ctx.req);
    const subject = await verifySubject(one('subject_token')!, subjectVerifier, caller);
    const requester = ctx.oidc.client!.clientId;
    const declaration = findClientDeclaration(requester);
    if (!declaration?.audience || !subject.aud.includes(declaration.audience)) {
      throw new errors.InvalidGrant('the subject token was not issued for the requesting service');
    }

    const eventId = one('event_id');
    const eventDigest = one('event_digest');
    if ((eventId === undefined) !== (eventDigest === undefined))
      throw new errors.InvalidRequest('event_id and event_digest go together');
    if (eventId && !EVENT_ID.test(eventId))
      throw new errors.InvalidRequest('event_id must be 1-200 visible ASCII characters');
    if (eventDigest && !DIGEST.test(eventDigest))
      throw new errors.InvalidRequest('event_digest must be a base64url SHA-256 digest');

    const subjectScopes = splitScope(subject.scope);
    const scopes = one('scope') ? splitScope(one('scope')) : subjectScopes;
    const answer = eventAnswerRuleFor(declaration.eventAnswers, scopes);
    let audiences: string[];
    let carried: readonly string[];
    if (answer) {
      // The one exception to "never wider": a service's answer to the event token it received.
      assertEventAnswer(answer, subject, { scopes, audience: params.audience, eventId, eventDigest });
      audiences = [answer.audience];
      carried = ['region', ...answer.answers.claims];
    } else {
      const widened = scopes.filter((scope) => !subjectScopes.includes(scope));
      if (widened.length) throw new errors.InvalidScope('requested scope exceeds the subject token', widened.join(' '));
      audiences = params.audience === undefined ? subject.aud : [params.audience].flat().filter(Boolean);
      if (audiences.length === 0 || audiences.some((aud) => !subject.aud.includes(aud))) {
        throw new errors.InvalidTarget('requested audience exceeds the subject token');
      }
      if (subject.event_id && eventId && subject.event_id !== eventId)
        throw new errors.InvalidGrant('the subject token is bound to another event');
      carried = ['region', 'transaction_id', 'event_id', 'event_digest'];
    }

    const now = Math.floor(Date.now() / 1000);
    // payments:approve is a transaction capability: it never outlives a transaction token, unless
    // it is bound to one event (event_id + event_digest). Such an event token can authorize that
    // event and nothing else, and must stay valid while the event waits in an outbox or a broker
    // (an answer's token is always bound to its own event, so it lives as long).
    const boundToEvent = eventId !== undefined || subject.event_id !== undefined;
    const ttl =
      scopes.includes(TRANSACTION_SCOPE) && !boundToEvent
        ? Math.min(deps.ttlSeconds, TRANSACTION_TOKEN_TTL_SECONDS)
        : deps.ttlSeconds;
    const claims: AccessTokenClaims = {
      iss: deps.issuer,
      sub: subject.sub,
      aud: [...audiences].sort(),
      iat: now,
      exp: now + ttl,
      jti: randomUUID(),
      client_id: requester,
      scope: scopes.join(' '),
    };
    for (const name of carried) {
      if (typeof subject[name] === 'string') claims[name] = subject[name];
    }
    if (eventId) Object.assign(claims, { event_id: eventId, event_digest: eventDigest });
    // RFC 8693 §4.1 delegation: the requesting service now acts for `sub`; earlier actors stay nested.
    claims.act = isActor(subject.act) ? { sub: requester, act: subject.act } : { sub: requester };
    // RFC 8705: a token the service will present itself over HTTP is bound to its certificate, like its
    // client-credentials tokens. An EVENT token is not: it travels inside a Kafka message, and the
    // consumer has no TLS connection with the publisher whose certificate it could compare. It is
    // bound instead to its event (event_id, event_digest), its publisher (act) and its user (sub),
    // and the consumer checks all of them (libs/security/src/kafka/event-binding.ts).
    if (!eventId && ctx.oidc.client!.tlsClientCertificateBoundAccessTokens) {
      const own = callerForClient(ctx);
      if (!own) throw new errors.InvalidGrant("mutual TLS client certificate of the client's workload not provided");
      claims.cnf = { 'x5t#S256': own.thumbprint };
    }

    ctx.body = {
      access_token: await signAccessToken(claims, deps.keys()),
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: ttl,
      scope: claims.scope,
    };
  };
}

function isActor(value: unknown): value is { sub: string } {
  return value !== null && typeof value === 'object' && typeof (value as { sub?: unknown }).sub === 'string';
}

/** Every algorithm this server signs with (SigningJwk); adding one to that type fails compilation here. */
const SIGNING_ALGORITHMS = Object.keys({ RS256: true, ES256: true } satisfies Record<
  SigningJwk['alg'],
  true
>) as JwsAlgorithm[];

/**
 * A subject token is one of our own JWT access tokens, checked by the same verifier as every API
 * uses (@zt/security: algorithm allowlist matched to the key, typ at+jwt, iss, aud, exp, nbf, iat,
 * claim types), on the keys this process publishes: read in memory, never fetched over HTTP.
 * - audiences: those of the services allowed to exchange (clients.ts `audience`); the grant then
 *   requires the requester's own one;
 * - no clock skew: the issuer's clock is the reference, and an exchanged token gets a fresh
 *   lifetime, so a subject token must not be honoured past its `exp`;
 * - a small verified-token cache: a service exchanges the same user token for each of its events.
 */
function subjectTokenVerifier(deps: TokenExchangeDeps): AccessTokenVerifier {
  return createAccessTokenVerifier({
    issuer: deps.issuer,
    audiences: [...new Set(CLIENTS.flatMap((client) => (client.audience ? [client.audience] : [])))],
    algorithms: SIGNING_ALGORITHMS,
    clockSkewSeconds: 0,
    requireAtJwtTyp: true,
    maxAuthorizationHeaderBytes: 8192,
    verifiedTokenCacheSize: 1000,
    localJwks: () => deps.keys().published,
  }).verifier;
}

async function verifySubject(
  token: string,
  verifier: AccessTokenVerifier,
  caller: CallerIdentity | undefined,
): Promise<AccessTokenClaims> {
  try {
    const { claims } = await verifier.verify(token, caller);
    // The verifier accepted `aud` as a string or an array with at least one accepted value.
    return { ...(claims as AccessTokenClaims), aud: [claims.aud].flat() as string[] };
  } catch {
    throw new errors.InvalidGrant('subject_token is not a valid access token of this issuer');
  }
}
