import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { callerIdentityOf } from '../transport/peer-certificate';
import type { CallerIdentity } from '../verification/caller-identity';

/**
 * Injects the workload that sent the request (from the connection's verified client certificate),
 * or `undefined` on a connection without one (plain HTTP, TLS without a client certificate). It is
 * the forwarder: for a user's token forwarded by payments it is payments, while the principal's `sub`
 * is the user. Works on @Public() routes too, since it reads the connection, not the token.
 */
export const CallerWorkload = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): CallerIdentity | undefined =>
    callerIdentityOf(ctx.switchToHttp().getRequest()),
);
