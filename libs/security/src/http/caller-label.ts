import type { CallerIdentity } from '../verification/caller-identity';

/** How a caller appears in a log line: its SPIFFE id, else its certificate's thumbprint, else `-` (no certificate). */
export function callerLabel(caller: CallerIdentity | undefined): string {
  return caller?.spiffeId ?? (caller ? `x5t#S256:${caller.thumbprint}` : '-');
}
