import { SecurityError } from '../errors/security-errors';

/**
 * Optional provider an app registers to watch token verification (metrics). The security library
 * only calls it: it knows nothing of Prometheus, and without an observer nothing is called.
 * Implementations must be cheap (a counter increment): they run on every request.
 */
export const VERIFICATION_OBSERVER = Symbol('zt.security.verification-observer');

export type JwksFetchOutcome = 'success' | 'failure';

export interface JwksFetchObserver {
  onJwksFetch(outcome: JwksFetchOutcome): void;
}

export interface VerificationObserver extends JwksFetchObserver {
  /** A bearer token was verified (authorization of scopes and callers comes after). */
  onVerified(): void;
  /** A bearer token was missing or refused, with the error's stable code (`ERR_JWT_EXPIRED`, ...). */
  onRefused(code: string): void;
  /** A Kafka event was refused and written to `<topic>.dlq`, with the refusal's stable code. */
  onDeadLetter?(topic: string, code: string): void;
}

/** The refusal's stable code; anything that is not a SecurityError is one fixed label, never its message. */
export function refusalCode(error: unknown): string {
  return error instanceof SecurityError ? error.code : 'ERR_UNEXPECTED';
}
