import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ErrorCode, EventRejectedError } from '../errors/security-errors';
import { principalFrom } from '../authz/current-principal.decorator';
import type { Principal } from '../verification/principal';

/** The principal of the event's verified token. Throws (-> dead letter) if no guard verified one. */
export const EventPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalFrom(ctx.switchToRpc().getContext());
  if (!principal)
    throw new EventRejectedError(ErrorCode.TOKEN_MISSING, '@EventPrincipal() without a verified event token');
  return principal;
});
