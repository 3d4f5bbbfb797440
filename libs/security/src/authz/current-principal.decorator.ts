import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { MissingTokenError } from '../errors/security-errors';
import type { Principal } from '../verification/principal';

/**
 * Verified principals by request (HTTP) or KafkaContext (events). A WeakMap rather than a new
 * property: adding properties to Fastify's request objects changes their shape and slows every
 * request down, and nothing outside this library can forge an entry.
 */
const principals = new WeakMap<object, Principal>();

export function attachPrincipal(holder: object, principal: Principal): void {
  principals.set(holder, principal);
}

export function principalFrom(holder: unknown): Principal | undefined {
  return holder !== null && typeof holder === 'object' ? principals.get(holder) : undefined;
}

/**
 * Injects the verified principal. Throws when there is none (e.g. on a @Public() route), so a
 * handler can never mistake "anonymous" for "someone".
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalFrom(ctx.switchToHttp().getRequest());
  if (!principal) throw new MissingTokenError('@CurrentPrincipal() used on a route without a verified token');
  return principal;
});
