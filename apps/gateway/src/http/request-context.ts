import type { IncomingMessage } from 'node:http';
import type { Principal } from '@zt/security';

/** What the gateway learns about one request, kept on the raw request for the access audit. */
export interface RequestContext {
  requestId: string;
  startedAt: bigint;
  clientIp: string;
  /** Route-table prefix or a fixed name (routeLabel: `token-handler`, `authorization-server`, `metrics`, `unmatched`, ...). */
  route: string;
  /**
   * The first typed error that ended the request (thrown by a step, or met after the answer
   * started): the access audit derives its decision and reason from it (accessDecision).
   */
  failure?: unknown;
  principal?: Principal;
  /** Upstream base URL chosen for this request (after authorization). */
  upstream?: string;
  /** SHA-256 prefix of the credential the client presented (never the credential). */
  tokenHash?: string;
  /** Set once the audit line is written: an answer is audited once, finished or not. */
  audited?: boolean;
}

const CONTEXT = Symbol('gatewayRequestContext');
type WithContext = IncomingMessage & { [CONTEXT]?: RequestContext };

export function setRequestContext(req: IncomingMessage, context: RequestContext): RequestContext {
  (req as WithContext)[CONTEXT] = context;
  return context;
}

/** Always present once the gateway's onRequest hook ran (every request). */
export function requestContext(req: IncomingMessage): RequestContext {
  const context = (req as WithContext)[CONTEXT];
  if (!context) throw new Error('request context missing: GatewayHttpSetup did not run');
  return context;
}

/**
 * Keeps the error that ended the request for the audit. The first one is the cause: a later one
 * (e.g. the client gone while a refusal was being sent) does not replace it.
 */
export function recordFailure(context: RequestContext, error: unknown): void {
  if (context.failure === undefined) context.failure = error;
}
