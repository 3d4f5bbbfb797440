import { HttpException } from '@nestjs/common';
import { SecurityError } from '@zt/security';
import { AuthorizationServerUnavailableError } from '../authorization-server/authorization-server-unavailable.error';
import { GatewayErrorCode, GatewayProblem, GatewayTokenError } from '../errors/gateway-errors';

/** `allow`: let through; `deny`: refused (the client's doing); `error`: failed (ours or an upstream's). */
export type Decision = 'allow' | 'deny' | 'error';

export interface AccessDecision {
  decision: Decision;
  reason: string;
}

/** What a request left behind for its decision (the fields of its RequestContext). */
export interface RequestOutcome {
  /** The first typed error that ended the request, whoever answered it (see recordFailure). */
  failure?: unknown;
  /** Chosen by the API authorizer once it let the request through. */
  upstream?: string;
}

/**
 * THE owner of the access audit's `decision` and `reason`: derived once per request, when its line
 * is written, from the error that ended it, the status the client got and whether the answer was
 * sent whole. No step of the gateway writes a decision; each throws (or records) a typed error
 * with a stable code, and this function alone turns it into the verdict.
 *
 * - No failure: `allow` with `OK` (authorized API request) or `PUBLIC` (the gateway's own routes);
 *   an error status nothing explained (an upstream 4xx passed on) is `HTTP_<status>`.
 * - A failure: its code; `error` when it answered 5xx, `deny` below.
 * - An answer that never finished is always an `error`: `ANSWER_NOT_FINISHED` unless a failure
 *   already explains it (an upstream cut off mid-body).
 */
export function accessDecision(outcome: RequestOutcome, status: number, finished: boolean): AccessDecision {
  if (outcome.failure === undefined) {
    if (!finished) return { decision: 'error', reason: GatewayErrorCode.ANSWER_NOT_FINISHED };
    if (status >= 400) return { decision: status >= 500 ? 'error' : 'deny', reason: `HTTP_${status}` };
    return {
      decision: 'allow',
      reason: outcome.upstream === undefined ? GatewayErrorCode.PUBLIC : GatewayErrorCode.OK,
    };
  }
  const failure = describeFailure(outcome.failure);
  return { decision: !finished || failure.status >= 500 ? 'error' : 'deny', reason: failure.reason };
}

/** The stable code of a failure and the status it stands for. */
function describeFailure(error: unknown): { reason: string; status: number } {
  if (error instanceof GatewayTokenError) return { reason: error.reason, status: error.status };
  if (error instanceof SecurityError) return { reason: error.code, status: error.status };
  if (error instanceof GatewayProblem || error instanceof AuthorizationServerUnavailableError)
    return { reason: error.reason, status: error.status };
  if (error instanceof HttpException) {
    // DeniedException, and the platform's JsonShapeException, carry a code; any other is named by its status.
    const reason = (error as { reason?: unknown }).reason;
    return { reason: typeof reason === 'string' ? reason : `HTTP_${error.getStatus()}`, status: error.getStatus() };
  }
  return { reason: GatewayErrorCode.INTERNAL, status: 500 };
}
