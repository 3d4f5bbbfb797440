import { SetMetadata } from '@nestjs/common';
import { ALLOWED_CALLERS } from './security-metadata';

/**
 * Only these workloads may call the route: the SPIFFE id in the connection's verified client
 * certificate must name one of them (e.g. `@AllowedCallers('gateway', 'payments')`). It adds to the
 * token's requirements (@Scopes etc.), never replaces them: the token still names the user.
 */
export const AllowedCallers = (...workloads: string[]) => {
  // An empty list would silently mean "nobody" or, worse, be mistaken for "anybody": refuse it.
  if (workloads.length === 0 || workloads.some((w) => typeof w !== 'string' || !/^[A-Za-z0-9._/-]+$/.test(w))) {
    throw new Error('@AllowedCallers() needs one or more workload names (the path of their SPIFFE id)');
  }
  return SetMetadata(ALLOWED_CALLERS, Object.freeze([...workloads]));
};
