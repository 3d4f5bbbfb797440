import { errors } from 'oidc-provider';
import type { EventAnswerExchange } from '../clients/clients';
import { splitScope } from '../scopes/api-scopes';
import type { AccessTokenClaims } from '../tokens/access-token-jwt';

export interface EventAnswerRequest {
  scopes: string[];
  /** The `audience` parameter as sent (absent, one or several). */
  audience: string | string[] | undefined;
  /** The answer event's binding: both are required here. */
  eventId: string | undefined;
  eventDigest: string | undefined;
}

/** The rule the requesting service declared for the scope it asks for, if any (clients.ts `eventAnswers`). */
export function eventAnswerRuleFor(
  rules: readonly EventAnswerExchange[] | undefined,
  scopes: readonly string[],
): EventAnswerExchange | undefined {
  return rules?.find((rule) => scopes.includes(rule.scope));
}

/**
 * Checks an answer exchange against its rule; every condition is what keeps the answer's token from
 * being more than "this service's statement about that one event": exactly the rule's scope and
 * audience, a subject that is the event token being answered (its scope, audience and publisher,
 * bound to an event and carrying the claims the answer must stay bound to), and a binding to a new
 * event. Throws the RFC 8693 / RFC 6749 error that names what is wrong.
 */
export function assertEventAnswer(
  rule: EventAnswerExchange,
  subject: AccessTokenClaims,
  request: EventAnswerRequest,
): void {
  if (request.scopes.length !== 1)
    throw new errors.InvalidScope(`${rule.scope} is granted alone`, request.scopes.join(' '));
  const audiences = [request.audience ?? []].flat();
  if (audiences.length !== 1 || audiences[0] !== rule.audience)
    throw new errors.InvalidTarget(`${rule.scope} is only for audience ${rule.audience}`);

  const { answers } = rule;
  const actor = (subject.act as { sub?: unknown } | undefined)?.sub;
  const answerable =
    splitScope(subject.scope).includes(answers.scope) &&
    subject.aud.includes(answers.audience) &&
    actor === answers.actor &&
    typeof subject.event_id === 'string' &&
    typeof subject.event_digest === 'string' &&
    answers.claims.every((claim) => typeof subject[claim] === 'string');
  if (!answerable) {
    throw new errors.InvalidGrant(
      `${rule.scope} is only issued for an answer to a ${answers.scope} event token published by ${answers.actor}`,
    );
  }
  if (request.eventId === undefined || request.eventDigest === undefined) {
    throw new errors.InvalidRequest(`${rule.scope} needs event_id and event_digest of the answer event`);
  }
  if (request.eventId === subject.event_id)
    throw new errors.InvalidRequest('the answer is a new event: event_id must differ from the event it answers');
}
