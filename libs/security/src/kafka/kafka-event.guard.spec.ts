import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { KafkaContext } from '@nestjs/microservices';
import { resolveSecurityOptions, type SecurityOptions } from '../config/security-options';
import { Scopes } from '../authz/scopes.decorator';
import { JwtAuthGuard } from '../authz/jwt-auth.guard';
import { createAccessTokenVerifier } from '../verification/create-verifier';
import { TestIssuer } from '../testing/test-issuer';
import { EventPrincipal } from './event-principal.decorator';
import { eventDigest } from './event-binding';
import { KafkaEventGuard } from './kafka-event.guard';
import { SecureEventPattern } from './secure-event-pattern.decorator';
import { buildEventMessage } from './kafka-event-publisher';

class Handlers {
  @SecureEventPattern('payments.approved', { transaction_id: 'paymentId', sub: 'userId' }) approved() {}
  @Scopes('events:payments') @SecureEventPattern('payments.scoped') scoped() {}
  @SecureEventPattern('payments.acted', {}, { actors: ['payments-service'] }) acted() {}
  withPrincipal(@EventPrincipal() _p: unknown) {}
}

describe('KafkaEventGuard (no broker): same verifier as HTTP, then event binding', () => {
  let issuer: TestIssuer;
  let guard: KafkaEventGuard;
  let httpGuard: JwtAuthGuard;
  // Async wrapper: the HTTP guard may answer (or throw) synchronously.
  const activateHttp = async (ctx: ExecutionContextHost) => httpGuard.canActivate(ctx);
  const payload = { paymentId: 'p-1', userId: 'user-alice' };

  const contextFor = (
    message: { headers?: unknown; value: unknown },
    handler: (...args: never[]) => unknown = Handlers.prototype.approved,
    data: unknown = payload,
  ) => {
    const kafka = new KafkaContext([
      { offset: '0', key: null, timestamp: '0', attributes: 0, ...message } as never,
      0,
      'payments.approved',
      {} as never,
      async () => {},
      {} as never,
    ]);
    const host = new ExecutionContextHost([data, kafka], Handlers, handler as never);
    host.setType('rpc');
    return { host, kafka };
  };
  const eventWith = (token: string | undefined, eventId = 'e-1') => {
    const headers: Record<string, unknown> = { 'event-id': Buffer.from(eventId) };
    if (token !== undefined) headers.authorization = Buffer.from(`Bearer ${token}`);
    return { headers, value: payload };
  };
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'ACCEPTED',
      (e: { code?: string; name?: string }) => `${e.name}:${e.code}`,
    );

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const options: SecurityOptions = resolveSecurityOptions(
      { issuer: issuer.issuer, jwksUri: issuer.jwksUri, audiences: [issuer.audience] },
      {},
    );
    const { verifier } = createAccessTokenVerifier(options);
    guard = new KafkaEventGuard(new Reflector(), verifier, options);
    httpGuard = new JwtAuthGuard(new Reflector(), verifier, guard, options);
  });
  afterAll(() => issuer.stop());

  const valid = () => issuer.token({ transaction_id: 'p-1', scope: 'events:payments' });

  it('accepts a bound event and exposes the principal to @EventPrincipal()', async () => {
    const { host, kafka } = contextFor(eventWith(valid()));
    expect(await guard.canActivate(host)).toBe(true);
    const factory = Reflect.getMetadata('__routeArguments__', Handlers, 'withPrincipal');
    const { factory: read } = Object.values(
      factory as Record<string, { factory: (d: unknown, c: unknown) => { sub: string } }>,
    )[0]!; // withPrincipal has one @Principal() parameter
    expect(read(undefined, host).sub).toBe('user-alice');
    expect(kafka).toBeDefined();
    expect(() => read(undefined, contextFor(eventWith(valid())).host)).toThrow(
      '@EventPrincipal() without a verified event token',
    );
  });

  it.each([
    ['missing token', () => eventWith(undefined), 'EventRejectedError:ERR_TOKEN_MISSING'],
    [
      'forged token (alg none)',
      () => eventWith(issuer.unsignedToken('none', { transaction_id: 'p-1' }, 'eA')),
      'EventRejectedError:ERR_JWS_ALG_NOT_ALLOWED',
    ],
    [
      'expired token',
      () => eventWith(issuer.token({ transaction_id: 'p-1', exp: 1000 })),
      'EventRejectedError:ERR_JWT_EXPIRED',
    ],
    [
      'token for another payment',
      () => eventWith(issuer.token({ transaction_id: 'p-2' })),
      'EventRejectedError:ERR_EVENT_BINDING_MISMATCH',
    ],
    [
      'token of another user',
      () => eventWith(issuer.token({ transaction_id: 'p-1', sub: 'user-bob' })),
      'EventRejectedError:ERR_EVENT_BINDING_MISMATCH',
    ],
    [
      'token bound to another event id',
      () => eventWith(issuer.token({ transaction_id: 'p-1', event_id: 'e-9' })),
      'EventRejectedError:ERR_EVENT_BINDING_MISMATCH',
    ],
    [
      'token bound to other bytes',
      () => eventWith(issuer.token({ transaction_id: 'p-1', event_digest: eventDigest({ x: 1 }) })),
      'EventRejectedError:ERR_EVENT_BINDING_MISMATCH',
    ],
    ['headers missing entirely', () => ({ value: payload }), 'EventRejectedError:ERR_TOKEN_MISSING'],
    [
      'garbage header',
      () => ({ headers: { authorization: Buffer.from([0xff, 0xfe]) }, value: payload }),
      'EventRejectedError:ERR_TOKEN_MISSING',
    ],
  ])('rejects %s', async (_name, message, expected) => {
    expect(await codeOf(guard.canActivate(contextFor(message()).host))).toBe(expected);
  });

  it.each([
    ['the allowed actor', { act: { sub: 'payments-service' } }, 'ACCEPTED'],
    [
      'the allowed actor acting for another service',
      { act: { sub: 'payments-service', act: { sub: 'users-service' } } },
      'ACCEPTED',
    ],
    ['no actor (a user token published directly)', {}, 'EventRejectedError:ERR_EVENT_ACTOR_NOT_ALLOWED'],
    ['another actor', { act: { sub: 'accounts-service' } }, 'EventRejectedError:ERR_EVENT_ACTOR_NOT_ALLOWED'],
    [
      'another actor that re-exchanged the allowed one',
      { act: { sub: 'accounts-service', act: { sub: 'payments-service' } } },
      'EventRejectedError:ERR_EVENT_ACTOR_NOT_ALLOWED',
    ],
  ])('with actors configured, %s -> %s', async (_name, claims, expected) => {
    const event = eventWith(issuer.token({ transaction_id: 'p-1', ...claims }));
    expect(await codeOf(guard.canActivate(contextFor(event, Handlers.prototype.acted).host))).toBe(expected);
  });

  it('refuses an empty actor list at declaration (it would admit nobody, silently)', () => {
    expect(() => SecureEventPattern('payments.none', {}, { actors: [] })).toThrow(
      'actors must name at least one service',
    );
  });

  it('accepts event_id and event_digest bindings that match', async () => {
    const token = issuer.token({ transaction_id: 'p-1', event_id: 'e-1', event_digest: eventDigest(payload) });
    const m = buildEventMessage(token, { eventId: 'e-1', payload });
    expect(await guard.canActivate(contextFor({ headers: m.headers, value: m.value }).host)).toBe(true);
  });

  it('checks @Scopes on event handlers', async () => {
    expect(await codeOf(guard.canActivate(contextFor(eventWith(issuer.token()), Handlers.prototype.scoped).host))).toBe(
      'EventRejectedError:ERR_INSUFFICIENT_SCOPE',
    );
    expect(await guard.canActivate(contextFor(eventWith(valid()), Handlers.prototype.scoped).host)).toBe(true);
  });

  it('the global JwtAuthGuard sends rpc contexts through the same Kafka checks (fail closed)', async () => {
    expect(await codeOf(activateHttp(contextFor(eventWith(undefined)).host))).toBe(
      'EventRejectedError:ERR_TOKEN_MISSING',
    );
    expect(await activateHttp(contextFor(eventWith(valid())).host)).toBe(true);
  });

  it('refuses other transports and non-Kafka rpc contexts', async () => {
    const ws = new ExecutionContextHost([{}, {}], Handlers, Handlers.prototype.approved);
    ws.setType('ws');
    expect(await codeOf(activateHttp(ws))).toBe('MissingTokenError:ERR_TOKEN_MISSING');
    const rpc = new ExecutionContextHost([{}, {}], Handlers, Handlers.prototype.approved);
    rpc.setType('rpc');
    expect(await codeOf(guard.canActivate(rpc))).toBe('EventRejectedError:ERR_TOKEN_MISSING');
    const noContext = new ExecutionContextHost([{}], Handlers, Handlers.prototype.approved);
    noContext.setType('rpc');
    await expect(guard.canActivate(noContext)).rejects.toThrow('KafkaEventGuard used outside a Kafka handler');
  });
});
