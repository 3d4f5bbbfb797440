import { GatewayErrorCode } from '../errors/gateway-errors';

/**
 * The authorization server could not answer (down, slow, misconfigured): the request fails closed
 * with 503 and `Retry-After` (GatewayExceptionFilter). Thrown by the back channel and its callers.
 */
export class AuthorizationServerUnavailableError extends Error {
  readonly status = 503;
  readonly reason = GatewayErrorCode.AS_UNAVAILABLE;

  /** `problem`: what went wrong, for the log only (never sent to the client). */
  constructor(problem: string) {
    super(`authorization server unavailable: ${problem}`);
    this.name = 'AuthorizationServerUnavailableError';
  }
}
